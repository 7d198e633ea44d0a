import { timingSafeEqual } from "node:crypto";
import http, { type IncomingMessage, type ServerResponse } from "node:http";
import https from "node:https";
import type { Socket } from "node:net";
import type { Duplex } from "node:stream";
import { interfaceNamePattern } from "@varlink-ts/runtime/model";
import { handleCall, parseCallTarget, parseParameters, readBody, routedByInterface } from "./call-route.js";
import { InterfaceDirectory } from "./interface-directory.js";
import { handleExplorerServices, serveExplorerFiles } from "./explorer-route.js";
import { handleIntrospection } from "./introspection-routes.js";
import { handleBridgeOpenApi, handleOpenApi } from "./openapi-route.js";
import type { BridgeOptions } from "./options.js";
import { guardRequest, type GuardPolicy } from "./request-guard.js";
import { sendJson, sendMessage } from "./responses.js";
import { ConnectionsBySocket } from "./service-connections.js";
import { probeWait, ServiceProbes } from "./service-probe.js";
import { handshakeProblem, openTunnel } from "./websocket-tunnel.js";

// The HTTP bridge: routes, authentication and limits. Simple mode and the WebSocket tunnel
// live in their own modules; this one decides who may do what.

export interface HttpBridge {
  server: http.Server;
  close(): Promise<void>;
}

export function createHttpBridge(options: BridgeOptions): HttpBridge {
  const connections = new ConnectionsBySocket(options.services);
  const tunnels = new Set<Duplex>();
  const policy: GuardPolicy = { allowedHosts: new Set(options.allowedHosts), allowedOrigins: options.allowedOrigins, scheme: options.tls ? "https" : "http" };
  const callOptions = options.callTimeout !== undefined ? { timeout: options.callTimeout * 1000 } : {};
  // GetInfo that the bridge asks on its own waits at most probeWait, or --timeout if shorter.
  const probes = new ServiceProbes(options.services, Math.min(probeWait, callOptions.timeout ?? probeWait));
  const directory = new InterfaceDirectory(probes, options.interfaceFiles);
  const onRequest = (request: IncomingMessage, response: ServerResponse): void => {
    const verdict = guardRequest(request, policy);
    if (!verdict.ok) return sendMessage(response, verdict.status, verdict.reason);
    void route(request, response).catch((error: unknown) => {
      if (!response.headersSent) sendMessage(response, 500, `the bridge failed: ${String(error)}`);
      else response.destroy();
    });
  };
  // Explicit limits on slow clients, as nginx sets them: headers and whole requests each get a
  // deadline (Node checks them every connectionsCheckingInterval), idle kept-alive connections
  // close after 5 s.
  const timeouts = {
    headersTimeout: options.headerTimeout * 1000,
    requestTimeout: options.bodyTimeout * 1000,
    keepAliveTimeout: 5000,
    connectionsCheckingInterval: Math.min(1000, (options.headerTimeout * 1000) / 4),
  };
  // With a client CA, the TLS handshake itself refuses clients without a certificate it signed.
  const server: http.Server = options.tls
    ? https.createServer({ ...options.tls, ...timeouts, requestCert: options.tls.ca !== undefined, rejectUnauthorized: options.tls.ca !== undefined, minVersion: "TLSv1.2" }, onRequest)
    : http.createServer(timeouts, onRequest);

  async function route(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? "/", "http://bridge");
    const segments = pathSegments(url.pathname, options.base);
    if (segments === undefined) return sendMessage(response, 404, `nothing is served at ${url.pathname}`);
    if (segments === "malformed") return sendMessage(response, 400, "the path has a malformed %-escape");
    if (answeredPreflight(request, response)) return;
    if (options.explorer !== undefined && (request.method === "GET" || request.method === "HEAD") && serveExplorerFiles(segments, request, response, options.explorer)) return;
    if (!authorized(request, url, false)) return unauthorized(response);
    const [head, ...rest] = segments;
    const connectionTo = (service: string) => () => connections.for(request.socket as Socket).connection(service);
    if (options.explorer !== undefined && head === "explorer" && rest.length === 1 && rest[0] === "services") {
      if (request.method !== "GET") return methodNotAllowed(response, "GET");
      return handleExplorerServices(probes, connectionTo, options.interfaceFiles, response);
    }
    if (head === "health" && rest.length === 0) {
      if (request.method !== "GET") return methodNotAllowed(response, "GET");
      return sendJson(response, 200, { status: "ok", services: [...options.services.keys()] });
    }
    if (head === "call") {
      if (request.method !== "POST") return methodNotAllowed(response, "POST");
      // A JSON content type makes a browser ask first (CORS preflight), which only origins named
      // with --allow-origin pass: other sites' pages cannot call through it.
      if (!/^application\/json\s*(;|$)/i.test(request.headers["content-type"] ?? "")) {
        return sendMessage(response, 415, "the body must be sent as Content-Type: application/json");
      }
      const parsed = parseCallTarget(rest, url.searchParams, request.headers.accept, options.services);
      if (!parsed.ok) return sendMessage(response, parsed.status, parsed.reason);
      const named = parsed.value.service;
      const interfaceName = parsed.value.method.slice(0, parsed.value.method.lastIndexOf("."));
      const target = named !== undefined ? { ok: true as const, value: { ...parsed.value, service: named } } : routedByInterface(parsed.value, await directory.servicesWith(interfaceName), options.services);
      if (!target.ok) return sendMessage(response, target.status, target.reason);
      const body = await readBody(request, options.maxBody);
      if (!body.ok) {
        // The rest of a body over the limit is never read: this connection can carry no other request.
        if (body.status === 413) lingerAfterResponse(request.socket as Socket, response);
        return sendMessage(response, body.status, body.reason);
      }
      const parameters = parseParameters(body.text);
      if (!parameters.ok) return sendMessage(response, parameters.status, parameters.reason);
      return handleCall({ target: target.value, parameters: parameters.value, connection: connectionTo(target.value.service), response, options });
    }
    if (head === "services") {
      if (request.method !== "GET") return methodNotAllowed(response, "GET");
      if (rest.length === 0) return sendJson(response, 200, { services: [...options.services.keys()] });
      const target = serviceAndInterface(rest, options.services, false);
      if (!target.ok) return sendMessage(response, target.status, target.reason);
      return handleIntrospection(connectionTo(target.service), target.interfaceName, response, callOptions, options.interfaceFiles?.get(target.service));
    }
    if (head === "openapi.json" && rest.length === 0) {
      if (request.method !== "GET") return methodNotAllowed(response, "GET");
      const server = `${options.tls ? "https" : "http"}://${request.headers.host}${options.base}`;
      return handleBridgeOpenApi(probes, connectionTo, server, response, options);
    }
    if (head === "openapi") {
      if (request.method !== "GET") return methodNotAllowed(response, "GET");
      const target = serviceAndInterface(rest, options.services, true);
      if (!target.ok) return sendMessage(response, target.status, target.reason);
      return handleOpenApi(connectionTo(target.service), target.service, target.interfaceName!, response, options, callOptions);
    }
    sendMessage(response, 404, `nothing is served at ${url.pathname}`);
  }

  /** Pages from origins named with --allow-origin may call across origins (CORS); no others. */
  function answeredPreflight(request: IncomingMessage, response: ServerResponse): boolean {
    const origin = request.headers.origin;
    if (origin === undefined || !options.allowedOrigins.includes(origin)) return false;
    response.setHeader("Access-Control-Allow-Origin", origin);
    response.setHeader("Vary", "Origin");
    if (request.method !== "OPTIONS") return false;
    response.writeHead(204, {
      "Access-Control-Allow-Methods": "GET, POST",
      "Access-Control-Allow-Headers": "Content-Type, Authorization, Accept",
      "Access-Control-Max-Age": "600",
    });
    response.end();
    return true;
  }

  server.on("upgrade", (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on("error", () => socket.destroy());
    const refuse = (status: number, reason: string, headers: Record<string, string> = {}): void => {
      const extra = Object.entries(headers).map(([name, value]) => `${name}: ${value}\r\n`).join("");
      socket.end(`HTTP/1.1 ${status} ${http.STATUS_CODES[status]}\r\nConnection: close\r\n${extra}Content-Type: text/plain\r\nContent-Length: ${Buffer.byteLength(reason)}\r\n\r\n${reason}`);
    };
    const verdict = guardRequest(request, policy);
    if (!verdict.ok) return refuse(verdict.status, verdict.reason);
    const url = new URL(request.url ?? "/", "http://bridge");
    const segments = pathSegments(url.pathname, options.base);
    if (segments === "malformed") return refuse(400, "the path has a malformed %-escape");
    if (segments === undefined || segments.length !== 3 || segments[0] !== "ws" || segments[1] !== "services" || (request.headers.upgrade ?? "").toLowerCase() !== "websocket") {
      return refuse(404, "no such route");
    }
    const problem = handshakeProblem(request);
    if (problem !== undefined) return refuse(problem.status, problem.reason, problem.headers);
    if (!authorized(request, url, true)) return refuse(401, "a bearer token is required");
    const address = options.services.get(segments[2]!);
    if (address === undefined) return refuse(404, `no service named '${segments[2]}' is bridged`);
    tunnels.add(socket);
    socket.on("close", () => tunnels.delete(socket));
    openTunnel(request, socket, head, address, refuse);
  });

  /** Bearer token in the header; WebSocket requests from browsers may carry it as ?access_token=. */
  function authorized(request: IncomingMessage, url: URL, websocket: boolean): boolean {
    if (options.token === undefined) return true;
    const header = request.headers.authorization ?? "";
    const given = /^bearer /i.test(header) ? header.slice(7).trimStart() : websocket ? (url.searchParams.get("access_token") ?? "") : "";
    const expected = Buffer.from(options.token);
    const actual = Buffer.from(given);
    return actual.length === expected.length && timingSafeEqual(actual, expected);
  }

  return {
    server,
    close: async () => {
      for (const socket of tunnels) socket.destroy();
      connections.closeAll();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
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

type ServicePath = { ok: true; service: string; interfaceName: string | undefined } | { ok: false; status: number; reason: string };

/** SERVICE[/INTERFACE] from a path's segments: a bridged service and a well-formed interface name. */
function serviceAndInterface(segments: readonly string[], services: ReadonlyMap<string, string>, interfaceRequired: boolean): ServicePath {
  const [service, interfaceName, ...extra] = segments;
  if (service === undefined || extra.length > 0 || (interfaceRequired && interfaceName === undefined)) {
    return { ok: false, status: 404, reason: `this route takes SERVICE${interfaceRequired ? "/INTERFACE" : "[/INTERFACE]"}` };
  }
  if (!services.has(service)) return { ok: false, status: 404, reason: `no service named '${service}' is bridged` };
  if (interfaceName !== undefined && !interfaceNamePattern.test(interfaceName)) return { ok: false, status: 400, reason: `'${interfaceName}' is not an interface name` };
  return { ok: true, service, interfaceName };
}

/** The path below `base`, split at "/" and decoded; undefined when it is not below `base`. */
function pathSegments(pathname: string, base: string): string[] | "malformed" | undefined {
  let path: string;
  if (base === "") path = pathname;
  else if (pathname === base) path = "/";
  else if (pathname.startsWith(`${base}/`)) path = pathname.slice(base.length);
  else return undefined;
  try {
    return path.split("/").slice(1).filter((segment, index, all) => segment !== "" || index < all.length - 1).map(decodeURIComponent);
  } catch {
    return "malformed";
  }
}

function unauthorized(response: ServerResponse): void {
  response.setHeader("WWW-Authenticate", 'Bearer realm="varlink-ts bridge"');
  sendMessage(response, 401, "a bearer token is required (Authorization: Bearer TOKEN)");
}

function methodNotAllowed(response: ServerResponse, allowed: string): void {
  response.setHeader("Allow", allowed);
  sendMessage(response, 405, `this route takes ${allowed}`);
}
