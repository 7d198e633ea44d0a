import type { ServerResponse } from "node:http";
import { errorResponse } from "./http-status.js";

export function sendJson(response: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  response.writeHead(status, { "Content-Type": "application/json", "Content-Length": Buffer.byteLength(text), "Cache-Control": "no-store" });
  response.end(text);
}

/** A varlink error, lost service or timeout as the matching HTTP status with a JSON body. */
export function sendError(response: ServerResponse, error: unknown): void {
  const { status, body } = errorResponse(error);
  sendJson(response, status, body);
}
