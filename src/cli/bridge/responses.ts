import type { ServerResponse } from "node:http";
import { stringifyJson } from "@varlink-ts/runtime";
import { answers, type AnswerName } from "../../openapi/answers.js";
import { errorResponse } from "./http-status.js";

export function sendJson(response: ServerResponse, status: number, body: unknown): void {
  const text = stringifyJson(body);
  response.writeHead(status, {
    "Content-Type": "application/json",
    "Content-Length": Buffer.byteLength(text),
    "Cache-Control": "no-store",
  });
  response.end(text);
}

/** A varlink error, lost service or timeout as the matching HTTP status with a JSON body. */
export function sendError(response: ServerResponse, error: unknown): void {
  const { status, body } = errorResponse(error);
  sendJson(response, status, body);
}

/** A request the bridge will not pass on: the answer's status, with the reason in words (UAPI.20's {"message"} body). */
export function sendMessage(response: ServerResponse, answer: AnswerName, message: string): void {
  sendJson(response, answers[answer].status, { message });
}

/** Why the bridge will not pass a request on: an answer of the table, and the reason in words. */
export interface Refusal {
  ok: false;
  answer: AnswerName;
  reason: string;
}
