import type { ServerResponse } from "node:http";
import { stringifyJson } from "@varlink-ts/runtime";
import { errorResponse } from "./http-status.js";

export function sendJson(response: ServerResponse, status: number, body: unknown): void {
  const text = stringifyJson(body);
  response.writeHead(status, { "Content-Type": "application/json", "Content-Length": Buffer.byteLength(text), "Cache-Control": "no-store" });
  response.end(text);
}

/** A varlink error, lost service or timeout as the matching HTTP status with a JSON body. */
export function sendError(response: ServerResponse, error: unknown): void {
  const { status, body } = errorResponse(error);
  sendJson(response, status, body);
}

/** A request the bridge will not pass on, with the reason in words (UAPI.20's {"message"} body). */
export function sendMessage(response: ServerResponse, status: number, message: string): void {
  sendJson(response, status, { message });
}
