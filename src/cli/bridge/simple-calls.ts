import type { IncomingMessage, ServerResponse } from "node:http";
import { isQualifiedMemberName } from "../../idl/names.js";
import { parseJson, stringifyJson } from "@varlink-ts/runtime";
import { errorResponse } from "./http-status.js";
import { sendBadRequest, sendError, sendJson } from "./responses.js";
import type { BridgeOptions } from "./options.js";
import type { ServicePool } from "./service-pool.js";

// Simple mode: POST <base>/call/METHOD with the parameters as the body. One reply comes back
// unwrapped; with `Accept: application/json-seq` a `more` call streams each reply as an
// RFC 7464 record; `?oneway=true` sends the call and answers 204 at once.

export type Body = { ok: true; text: string } | { ok: false; status: number; reason: string };

/** The request body, refused (413) as soon as it passes `limit` bytes. */
export function readBody(request: IncomingMessage, limit: number): Promise<Body> {
  const declared = Number(request.headers["content-length"] ?? "0");
  if (declared > limit) {
    request.resume();
    return Promise.resolve({ ok: false, status: 413, reason: `the body is over the limit of ${limit} bytes` });
  }
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let length = 0;
    request.on("data", (chunk: Buffer) => {
      length += chunk.length;
      if (length > limit) {
        resolve({ ok: false, status: 413, reason: `the body is over the limit of ${limit} bytes` });
        request.destroy();
      } else chunks.push(chunk);
    });
    request.on("end", () => resolve({ ok: true, text: Buffer.concat(chunks).toString("utf8") }));
    request.on("error", () => resolve({ ok: false, status: 400, reason: "the request broke off" }));
  });
}

export interface CallRequest {
  pool: ServicePool;
  method: string;
  body: string;
  url: URL;
  request: IncomingMessage;
  response: ServerResponse;
  options: BridgeOptions;
}

export async function handleCall({ pool, method, body, url, request, response, options }: CallRequest): Promise<void> {
  const bad = (reason: string): void => sendBadRequest(response, 400, reason);
  if (!isQualifiedMemberName(method)) return bad(`'${method}' is not a method name (INTERFACE.Method)`);
  let parameters: unknown = {};
  if (body.trim() !== "") {
    try {
      parameters = parseJson(body);
    } catch (error) {
      return bad(`the body is not JSON: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  if (typeof parameters !== "object" || parameters === null || Array.isArray(parameters)) return bad("the parameters must be a JSON object");
  const oneway = url.searchParams.get("oneway") === "true";
  const more = /application\/json-seq/i.test(request.headers.accept ?? "");
  if (oneway && more) return bad("a oneway call has no replies to stream");

  // A client that goes away stops its call; for `more` that closes the service connection.
  const gone = new AbortController();
  response.on("close", () => {
    if (!response.writableFinished) gone.abort();
  });
  const callOptions = { signal: gone.signal, ...(options.callTimeout !== undefined ? { timeout: options.callTimeout * 1000 } : {}) };
  try {
    await pool.use(async (client) => {
      if (oneway) {
        await client.oneway(method, parameters);
        response.writeHead(204).end();
      } else if (more) {
        await streamReplies(client.more(method, parameters, callOptions), response);
      } else {
        sendJson(response, 200, await client.call(method, parameters, callOptions));
      }
    });
  } catch (error) {
    if (!response.headersSent) sendError(response, error);
    else if (!response.writableEnded) response.end(record(errorResponse(error).body));
  }
}

/** The status is sent with the first reply, so that an error before it keeps its own status. */
async function streamReplies(replies: AsyncIterable<unknown>, response: ServerResponse): Promise<void> {
  for await (const reply of replies) {
    if (!response.headersSent) response.writeHead(200, { "Content-Type": "application/json-seq", "Cache-Control": "no-store" });
    response.write(record(reply));
  }
  if (!response.headersSent) response.writeHead(200, { "Content-Type": "application/json-seq" });
  response.end();
}

function record(value: unknown): string {
  return `\u001e${stringifyJson(value)}\n`;
}
