import type { IncomingMessage, ServerResponse } from "node:http";
import { NestingTooDeepError, parseJson, stringifyJson, type SocketConnection } from "@varlink-ts/runtime";
import { maxNestingDepth } from "@varlink-ts/runtime/wire";
import { isQualifiedMemberName } from "../../idl/names.js";
import { drained } from "./drained.js";
import type { Candidates } from "./interface-directory.js";
import { errorResponse } from "./http-status.js";
import { sendError, sendJson } from "./responses.js";
import type { BridgeOptions } from "./options.js";

// Simple mode (UAPI.20): POST <base>/call/METHOD or <base>/call/SERVICE/METHOD with the
// parameters as the body. One reply comes back unwrapped; `?more=true` or
// `Accept: application/json-seq` streams each reply of a `more` call as an RFC 7464 record;
// `?oneway=true` sends the call and answers 204 at once.

export type Body = { ok: true; text: string } | { ok: false; status: number; reason: string };

/**
 * The request body, refused (413) as soon as it passes `limit` bytes. The rest of a refused body
 * is read and dropped, so that the 413 reaches the client instead of a reset (closing a socket
 * with unread data resets it); the response closes the connection.
 */
export function readBody(request: IncomingMessage, limit: number): Promise<Body> {
  const tooLarge: Body = { ok: false, status: 413, reason: `the body is over the limit of ${limit} bytes` };
  const declared = Number(request.headers["content-length"] ?? "0");
  if (declared > limit) {
    request.resume();
    return Promise.resolve(tooLarge);
  }
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let length = 0;
    const onData = (chunk: Buffer): void => {
      length += chunk.length;
      if (length <= limit) return void chunks.push(chunk);
      chunks.length = 0;
      request.off("data", onData);
      request.resume();
      resolve(tooLarge);
    };
    request.on("data", onData);
    request.on("end", () => resolve({ ok: true, text: Buffer.concat(chunks).toString("utf8") }));
    request.on("error", () => resolve({ ok: false, status: 400, reason: "the request broke off" }));
  });
}

/** What a call request asks for, once its path, query and headers are read. */
export interface CallTarget {
  /** Undefined: the service that has the method's interface, found by asking (see InterfaceDirectory). */
  service: string | undefined;
  method: string;
  mode: "call" | "more" | "oneway";
}

export type Parsed<T> = { ok: true; value: T } | { ok: false; status: number; reason: string };

/**
 * Reads `segments` (the path after /call/, already split and decoded), the query and the Accept
 * header. The service is the one named in the path, else `?service=`, else the one named after
 * the method's interface, else the only one bridged, else undefined: the one that has the
 * interface.
 */
export function parseCallTarget(segments: readonly string[], query: URLSearchParams, accept: string | undefined, services: ReadonlyMap<string, string>): Parsed<CallTarget> {
  const refuse = (status: number, reason: string): Parsed<CallTarget> => ({ ok: false, status, reason });
  if (segments.length < 1 || segments.length > 2) return refuse(404, "call routes are /call/METHOD and /call/SERVICE/METHOD");
  const method = segments[segments.length - 1]!;
  if (!isQualifiedMemberName(method)) return refuse(400, `'${method}' is not a method name (INTERFACE.Method)`);
  const flags: Record<string, boolean> = {};
  for (const flag of ["more", "oneway"]) {
    const value = query.get(flag);
    if (value !== null && value !== "true" && value !== "false") return refuse(400, `?${flag}= takes true or false (got '${value}')`);
    flags[flag] = value === "true";
  }
  const more = flags["more"]! || /application\/json-seq/i.test(accept ?? "");
  if (more && flags["oneway"]) return refuse(400, "a oneway call has no replies to stream");
  const mode = more ? "more" : flags["oneway"] ? "oneway" : "call";
  const bridged = `(bridged: ${[...services.keys()].join(", ")})`;
  const requested = query.get("service");
  if (segments.length === 2) {
    if (requested !== null) return refuse(400, "?service= has no meaning here: the service is already named in the path");
    return services.has(segments[0]!) ? { ok: true, value: { service: segments[0]!, method, mode } } : refuse(404, `no service named '${segments[0]}' is bridged ${bridged}`);
  }
  if (requested !== null) {
    return services.has(requested) ? { ok: true, value: { service: requested, method, mode } } : refuse(404, `no service named '${requested}' is bridged ${bridged}`);
  }
  const interfaceName = method.slice(0, method.lastIndexOf("."));
  if (services.has(interfaceName)) return { ok: true, value: { service: interfaceName, method, mode } };
  if (services.size === 1) return { ok: true, value: { service: [...services.keys()][0]!, method, mode } };
  return { ok: true, value: { service: undefined, method, mode } };
}

/** The one service of `having` (those that have the method's interface), or why there is not one: 404 for none, 409 for several. */
export function routedByInterface(target: CallTarget, candidates: Candidates, services: ReadonlyMap<string, string>): Parsed<CallTarget & { service: string }> {
  const interfaceName = target.method.slice(0, target.method.lastIndexOf("."));
  const having = candidates.services;
  if (having.length === 1) return { ok: true, value: { ...target, service: having[0]! } };
  if (having.length > 1) return { ok: false, status: 409, reason: `the interface '${interfaceName}' is served by ${having.join(" and ")}: name one with ?service= or /call/SERVICE/METHOD` };
  // A service that is down might have it: not knowing is the service's fault, as when a named service is down.
  const down = candidates.down.map(({ service, reason }) => `${service} is down (${reason})`).join("; ");
  if (down !== "") return { ok: false, status: 502, reason: `no bridged service that answers has the interface '${interfaceName}': ${down}; name the service with ?service= or /call/SERVICE/METHOD` };
  return { ok: false, status: 404, reason: `no bridged service has the interface '${interfaceName}' (bridged: ${[...services.keys()].join(", ")})` };
}

/**
 * The call's parameters from the body: a JSON object, or nothing for no parameters. They go out
 * inside a message, one level deeper, so they may nest one level less than maxNestingDepth.
 */
export function parseParameters(body: string): Parsed<object> {
  if (body.trim() === "") return { ok: true, value: {} };
  let parameters: unknown;
  try {
    parameters = parseJson(body, maxNestingDepth - 1);
  } catch (error) {
    if (error instanceof NestingTooDeepError) return { ok: false, status: 400, reason: `the body nests deeper than ${error.limit} levels, more than a varlink message may` };
    return { ok: false, status: 400, reason: `the body is not JSON: ${error instanceof Error ? error.message : String(error)}` };
  }
  if (typeof parameters !== "object" || parameters === null || Array.isArray(parameters)) return { ok: false, status: 400, reason: "the parameters must be a JSON object" };
  return { ok: true, value: parameters };
}

export interface CallRequest {
  target: CallTarget & { service: string };
  parameters: object;
  connection: () => Promise<SocketConnection>;
  response: ServerResponse;
  options: BridgeOptions;
}

export async function handleCall({ target, parameters, connection, response, options }: CallRequest): Promise<void> {
  const timeout = options.callTimeout !== undefined ? { timeout: options.callTimeout * 1000 } : {};
  try {
    const service = await connection();
    if (target.mode === "oneway") {
      await service.oneway(target.method, parameters);
      response.writeHead(204).end();
    } else if (target.mode === "more") {
      // A client that goes away ends its stream, which closes the service connection (the
      // protocol's only way to stop a `more` call). A single call just finishes unread.
      const gone = new AbortController();
      response.on("close", () => {
        if (!response.writableFinished) gone.abort();
      });
      await streamReplies(service.more(target.method, parameters, { signal: gone.signal, ...timeout }), response);
    } else {
      const reply = await service.call(target.method, parameters, timeout);
      if (!response.destroyed) sendJson(response, 200, reply);
    }
  } catch (error) {
    if (response.destroyed) return;
    if (!response.headersSent) sendError(response, error);
    else if (!response.writableEnded) response.end(record(streamEnd(error)));
  }
}

/**
 * The status is sent with the first reply, so that an error before it keeps its own status. A
 * client that reads slowly slows the stream: the next reply is taken only once the response has
 * room, and the service connection stops reading meanwhile (see ServiceConnections).
 */
async function streamReplies(replies: AsyncIterable<unknown>, response: ServerResponse): Promise<void> {
  for await (const reply of replies) {
    if (!response.headersSent) response.writeHead(200, { "Content-Type": "application/json-seq", "Cache-Control": "no-store" });
    if (!response.write(record(reply))) await drained(response);
  }
  if (!response.headersSent) response.writeHead(200, { "Content-Type": "application/json-seq", "Cache-Control": "no-store" });
  response.end();
}

/** The record that ends a stream on failure: the error reply, or {"error": MESSAGE} when the service failed (UAPI.20). */
function streamEnd(error: unknown): object {
  const { body } = errorResponse(error);
  return "message" in body ? { error: body.message } : body;
}

function record(value: unknown): string {
  return `\u001e${stringifyJson(value)}\n`;
}

