import { timingSafeEqual } from "node:crypto";
import http, { type IncomingMessage, type ServerResponse } from "node:http";
import type { Duplex } from "node:stream";
import type { BridgeOptions } from "./options.js";
import { sendBadRequest, sendJson } from "./responses.js";
import { ServicePool } from "./service-pool.js";
import { handleCall, readBody } from "./simple-calls.js";
import { handleIntrospection } from "./introspection-routes.js";
import { openTunnel } from "./websocket-tunnel.js";
import { guardRequest, type GuardPolicy } from "./request-guard.js";

// The HTTP bridge: routes, authentication and limits. Simple mode and the WebSocket tunnel
// live in their own modules; this one decides who may do what.

export interface HttpBridge {
  server: http.Server;
  close(): Promise<void>;
}

export function createHttpBridge(options: BridgeOptions): HttpBridge {
  const pools = new Map([...options.services].map(([name, address]) => [name, new ServicePool(address)]));
  const tunnels = new Set<Duplex>();
  const policy: GuardPolicy = { allowedHosts: new Set(options.allowedHosts), allowedOrigins: options.allowedOrigins, scheme: "http" };
  const server = http.createServer((request, response) => {
    const verdict = guardRequest(request, policy);
    if (!verdict.ok) return sendBadRequest(response, verdict.status, verdict.reason);
    void guarded(request, response).catch((error: unknown) => {
      if (!response.headersSent) sendJson(response, 500, { error: "org.varlinkts.BridgeError", parameters: { reason: String(error) } });
      else response.destroy();
    });
  });

  async function route(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? "/", "http://bridge");
    const path = stripBase(url.pathname, options.base);
    if (path === undefined) return sendJson(response, 404, notFound(url.pathname));
    // Pages from origins named with --allow-origin may call across origins (CORS); no others.
    const origin = request.headers.origin;
    if (origin !== undefined && options.allowedOrigins.includes(origin)) {
      response.setHeader("Access-Control-Allow-Origin", origin);
      response.setHeader("Vary", "Origin");
      if (request.method === "OPTIONS") {
        response.writeHead(204, {
          "Access-Control-Allow-Methods": "GET, POST",
          "Access-Control-Allow-Headers": "Content-Type, Authorization, Accept",
          "Access-Control-Max-Age": "600",
        });
        return void response.end();
      }
    }
    if (!authorized(request, url, false)) return unauthorized(response);
    if (path === "/health" && request.method === "GET") return sendJson(response, 200, { status: "ok", services: [...pools.keys()] });
    if (path.startsWith("/call/")) {
      if (request.method !== "POST") return methodNotAllowed(response, "POST");
      // A JSON content type makes a browser ask first (CORS preflight), which only origins named
      // with --allow-origin pass: other sites' pages cannot call through it.
      if (!/^application\/json\s*(;|$)/i.test(request.headers["content-type"] ?? "")) {
        return sendBadRequest(response, 415, "the body must be sent as Content-Type: application/json");
      }
      const body = await readBody(request, options.maxBody);
      if (!body.ok) return sendBadRequest(response, body.status, body.reason);
      const chosen = choosePool(url.searchParams.get("service"));
      if ("error" in chosen) return sendJson(response, chosen.status, { error: "org.varlinkts.UnknownService", parameters: { reason: chosen.error } });
      return handleCall({ pool: chosen.pool, method: decodeURIComponent(path.slice("/call/".length)), body: body.text, url, request, response, options });
    }
    if (path === "/services" || path.startsWith("/services/")) {
      if (request.method !== "GET") return methodNotAllowed(response, "GET");
      const [, , name, interfaceName, ...rest] = path.split("/").map(decodeURIComponent);
      if (name === undefined) return sendJson(response, 200, { services: [...pools.keys()] });
      const pool = pools.get(name);
      if (pool === undefined || rest.length > 0) return sendJson(response, 404, notFound(url.pathname));
      return handleIntrospection(pool, interfaceName, response, options);
    }
    sendJson(response, 404, notFound(url.pathname));
  }

  const guarded = (request: IncomingMessage, response: ServerResponse): Promise<void> =>
    route(request, response).catch((error: unknown) => {
      // A malformed %-escape in the path is the client's mistake, not the bridge's.
      if (error instanceof URIError) return sendBadRequest(response, 400, "the path has a malformed %-escape");
      throw error;
    });

  server.on("upgrade", (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on("error", () => socket.destroy());
    const refuse = (status: number, reason: string): void => {
      socket.end(`HTTP/1.1 ${status} ${http.STATUS_CODES[status]}\r\nConnection: close\r\nContent-Type: text/plain\r\nContent-Length: ${Buffer.byteLength(reason)}\r\n\r\n${reason}`);
    };
    const verdict = guardRequest(request, policy);
    if (!verdict.ok) return refuse(verdict.status, verdict.reason);
    const url = new URL(request.url ?? "/", "http://bridge");
    const path = stripBase(url.pathname, options.base);
    let name: string | undefined;
    try {
      name = path?.startsWith("/ws/services/") ? decodeURIComponent(path.slice("/ws/services/".length)) : undefined;
    } catch {
      name = undefined;
    }
    if (name === undefined || (request.headers.upgrade ?? "").toLowerCase() !== "websocket") return refuse(404, "no such route");
    if (!authorized(request, url, true)) return refuse(401, "a bearer token is required");
    const pool = pools.get(name);
    if (pool === undefined) return refuse(404, `no service named '${name}' is bridged`);
    tunnels.add(socket);
    socket.on("close", () => tunnels.delete(socket));
    openTunnel(request, socket, head, pool.address, refuse);
  });

  function choosePool(requested: string | null): { pool: ServicePool } | { error: string; status: number } {
    if (requested !== null) {
      const pool = pools.get(requested);
      return pool !== undefined ? { pool } : { error: `no service named '${requested}' is bridged (bridged: ${[...pools.keys()].join(", ")})`, status: 404 };
    }
    if (pools.size === 1) return { pool: [...pools.values()][0]! };
    return { error: `name the service with ?service= (bridged: ${[...pools.keys()].join(", ")})`, status: 400 };
  }

  /** Bearer token in the header; WebSocket requests from browsers may carry it as ?access_token=. */
  function authorized(request: IncomingMessage, url: URL, websocket: boolean): boolean {
    if (options.token === undefined) return true;
    const header = request.headers.authorization ?? "";
    const given = header.startsWith("Bearer ") ? header.slice(7) : websocket ? (url.searchParams.get("access_token") ?? "") : "";
    const expected = Buffer.from(options.token);
    const actual = Buffer.from(given);
    return actual.length === expected.length && timingSafeEqual(actual, expected);
  }

  return {
    server,
    close: async () => {
      for (const socket of tunnels) socket.destroy();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await Promise.all([...pools.values()].map((pool) => pool.close()));
    },
  };
}

function stripBase(pathname: string, base: string): string | undefined {
  if (base === "") return pathname;
  if (pathname === base) return "/";
  return pathname.startsWith(`${base}/`) ? pathname.slice(base.length) : undefined;
}

function notFound(path: string): object {
  return { error: "org.varlinkts.NotFound", parameters: { path } };
}

function unauthorized(response: ServerResponse): void {
  response.setHeader("WWW-Authenticate", 'Bearer realm="varlink-ts bridge"');
  sendJson(response, 401, { error: "org.varlinkts.Unauthorized", parameters: {} });
}

function methodNotAllowed(response: ServerResponse, allowed: string): void {
  response.setHeader("Allow", allowed);
  sendJson(response, 405, { error: "org.varlinkts.MethodNotAllowed", parameters: { allowed } });
}
