import type { IncomingMessage, ServerResponse } from "node:http";
import type { Socket } from "node:net";
import { NestingTooDeepError, parseJson, stringifyJson, type SocketConnection } from "@varlink-ts/runtime";
import { isQualifiedMemberName } from "@varlink-ts/runtime/model";
import { maxNestingDepth } from "@varlink-ts/runtime/wire";
import { drained } from "./drained.js";
import type { Candidates, InterfaceDirectory } from "./interface-directory.js";
import { errorResponse } from "./http-status.js";
import { sendError, sendJson, sendMessage, type Refusal } from "./responses.js";
import type { BridgeOptions } from "./options.js";

// Simple mode (UAPI.20): POST <base>/call/METHOD or <base>/call/SERVICE/METHOD with the
// parameters as the body. One reply comes back unwrapped; `?more=true` or
// `Accept: application/json-seq` streams each reply of a `more` call as an RFC 7464 record;
// `?oneway=true` sends the call and answers 204 at once.

/** What a call route needs of the bridge. */
export interface CallContext {
  options: BridgeOptions;
  directory: InterfaceDirectory;
  connectionTo: (service: string) => () => Promise<SocketConnection>;
}

/** POST to a call route: checked in the order a client can mend them, then passed on. */
export async function serveCall(
  request: IncomingMessage,
  response: ServerResponse,
  url: URL,
  path: CallPath,
  { options, directory, connectionTo }: CallContext,
): Promise<void> {
  // A JSON content type makes a browser ask first (CORS preflight), which only origins named
  // with --allow-origin pass: other sites' pages cannot call through it.
  if (!/^application\/json\s*(;|$)/i.test(request.headers["content-type"] ?? "")) {
    return sendMessage(response, "NotJson", "the body must be sent as Content-Type: application/json");
  }
  const parsed = parseCallTarget(path, url.searchParams, request.headers.accept, options.services);
  if (!parsed.ok) return sendMessage(response, parsed.answer, parsed.reason);
  const named = parsed.value.service;
  const interfaceName = parsed.value.method.slice(0, parsed.value.method.lastIndexOf("."));
  const target =
    named !== undefined
      ? { ok: true as const, value: { ...parsed.value, service: named } }
      : routedByInterface(parsed.value, await directory.servicesWith(interfaceName), options.services);
  if (!target.ok) return sendMessage(response, target.answer, target.reason);
  const body = await readBody(request, options.maxBody);
  if (!body.ok) {
    // The rest of a body over the limit is never read: this connection can carry no other request.
    if (body.answer === "TooLarge") lingerAfterResponse(request.socket as Socket, response);
    return sendMessage(response, body.answer, body.reason);
  }
  const parameters = parseParameters(body.text);
  if (!parameters.ok) return sendMessage(response, parameters.answer, parameters.reason);
  return handleCall({
    target: target.value,
    parameters: parameters.value,
    connection: connectionTo(target.value.service),
    response,
    options,
  });
}

/**
 * Closing a socket with unread data sends a reset, and a client still sending its body may lose
 * the response to it. As nginx's lingering close does: after the response the bridge stops
 * sending, reads and drops what still comes for up to 2 s, then closes.
 */
function lingerAfterResponse(socket: Socket, response: ServerResponse): void {
  response.setHeader("Connection", "close");
  // Node ends a connection it will not keep with destroySoon(); this one lingers first.
  socket.destroySoon = () => {
    socket.end();
    socket.resume();
    const timer = setTimeout(() => socket.destroy(), 2000);
    socket.once("close", () => clearTimeout(timer));
  };
}

export type Body = { ok: true; text: string } | Refusal;

/**
 * The request body, refused (413) as soon as it passes `limit` bytes. The rest of a refused body
 * is read and dropped, so that the 413 reaches the client instead of a reset (closing a socket
 * with unread data resets it); the response closes the connection.
 */
export function readBody(request: IncomingMessage, limit: number): Promise<Body> {
  const tooLarge: Body = { ok: false, answer: "TooLarge", reason: `the body is over the limit of ${limit} bytes` };
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
    request.on("error", () => resolve({ ok: false, answer: "InvalidCall", reason: "the request broke off" }));
  });
}

/** What a call request asks for, once its path, query and headers are read. */
export interface CallTarget {
  /** Undefined: the service that has the method's interface, found by asking (see InterfaceDirectory). */
  service: string | undefined;
  method: string;
  mode: "call" | "more" | "oneway";
}

export type Parsed<T> = { ok: true; value: T } | Refusal;

/** What the path of a call route names: the method, and the service when the route has one. */
export interface CallPath {
  service?: string | undefined;
  method: string;
}

/**
 * Reads the call route's path (already decoded), the query and the Accept header. The service is
 * the one named in the path, else `?service=`, else the one named after the method's interface,
 * else the only one bridged, else undefined: the one that has the interface.
 */
export function parseCallTarget(
  path: CallPath,
  query: URLSearchParams,
  accept: string | undefined,
  services: ReadonlyMap<string, string>,
): Parsed<CallTarget> {
  const refuse = (answer: Refusal["answer"], reason: string): Parsed<CallTarget> => ({ ok: false, answer, reason });
  const { method } = path;
  if (!isQualifiedMemberName(method))
    return refuse("InvalidCall", `'${method}' is not a method name (INTERFACE.Method)`);
  const flags: Record<string, boolean> = {};
  for (const flag of ["more", "oneway"]) {
    const value = query.get(flag);
    if (value !== null && value !== "true" && value !== "false")
      return refuse("InvalidCall", `?${flag}= takes true or false (got '${value}')`);
    flags[flag] = value === "true";
  }
  const more = flags["more"]! || /application\/json-seq/i.test(accept ?? "");
  if (more && flags["oneway"]) return refuse("InvalidCall", "a oneway call has no replies to stream");
  const mode = more ? "more" : flags["oneway"] ? "oneway" : "call";
  const bridged = `(bridged: ${[...services.keys()].join(", ")})`;
  const requested = query.get("service");
  if (path.service !== undefined) {
    if (requested !== null)
      return refuse("InvalidCall", "?service= has no meaning here: the service is already named in the path");
    return services.has(path.service)
      ? { ok: true, value: { service: path.service, method, mode } }
      : refuse("NotFound", `no service named '${path.service}' is bridged ${bridged}`);
  }
  if (requested !== null) {
    return services.has(requested)
      ? { ok: true, value: { service: requested, method, mode } }
      : refuse("NotFound", `no service named '${requested}' is bridged ${bridged}`);
  }
  const interfaceName = method.slice(0, method.lastIndexOf("."));
  if (services.has(interfaceName)) return { ok: true, value: { service: interfaceName, method, mode } };
  if (services.size === 1) return { ok: true, value: { service: [...services.keys()][0]!, method, mode } };
  return { ok: true, value: { service: undefined, method, mode } };
}

/** The one service of `having` (those that have the method's interface), or why there is not one: 404 for none, 409 for several. */
export function routedByInterface(
  target: CallTarget,
  candidates: Candidates,
  services: ReadonlyMap<string, string>,
): Parsed<CallTarget & { service: string }> {
  const interfaceName = target.method.slice(0, target.method.lastIndexOf("."));
  const having = candidates.services;
  if (having.length === 1) return { ok: true, value: { ...target, service: having[0]! } };
  if (having.length > 1)
    return {
      ok: false,
      answer: "Ambiguous",
      reason: `the interface '${interfaceName}' is served by ${having.join(" and ")}: name one with ?service= or /call/SERVICE/METHOD`,
    };
  // A service that is down might have it: not knowing is the service's fault, as when a named service is down.
  const down = candidates.down.map(({ service, reason }) => `${service} is down (${reason})`).join("; ");
  if (down !== "")
    return {
      ok: false,
      answer: "Unreachable",
      reason: `no bridged service that answers has the interface '${interfaceName}': ${down}; name the service with ?service= or /call/SERVICE/METHOD`,
    };
  return {
    ok: false,
    answer: "NotFound",
    reason: `no bridged service has the interface '${interfaceName}' (bridged: ${[...services.keys()].join(", ")})`,
  };
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
    if (error instanceof NestingTooDeepError)
      return {
        ok: false,
        answer: "InvalidCall",
        reason: `the body nests deeper than ${error.limit} levels, more than a varlink message may`,
      };
    return {
      ok: false,
      answer: "InvalidCall",
      reason: `the body is not JSON: ${error instanceof Error ? error.message : String(error)}`,
    };
  }
  if (typeof parameters !== "object" || parameters === null || Array.isArray(parameters))
    return { ok: false, answer: "InvalidCall", reason: "the parameters must be a JSON object" };
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
    if (!response.headersSent)
      response.writeHead(200, { "Content-Type": "application/json-seq", "Cache-Control": "no-store" });
    if (!response.write(record(reply))) await drained(response);
  }
  if (!response.headersSent)
    response.writeHead(200, { "Content-Type": "application/json-seq", "Cache-Control": "no-store" });
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
