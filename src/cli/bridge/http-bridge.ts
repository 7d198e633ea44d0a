import { timingSafeEqual } from "node:crypto";
import http, { type IncomingMessage, type ServerResponse } from "node:http";
import https from "node:https";
import type { Socket } from "node:net";
import type { Duplex } from "node:stream";
import type { SocketConnection } from "@varlink-ts/runtime";
import { interfaceNamePattern } from "@varlink-ts/runtime/model";
import { answers } from "../../openapi/answers.js";
import type { RequestRouteName } from "../../openapi/routes.js";
import { serveCall } from "./call-route.js";
import { allowsMethod, matchRoute, nothingServed, type Serves } from "./dispatch.js";
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
  const policy: GuardPolicy = {
    allowedHosts: new Set(options.allowedHosts),
    allowedOrigins: options.allowedOrigins,
    scheme: options.tls ? "https" : "http",
  };
  const callOptions = options.callTimeout !== undefined ? { timeout: options.callTimeout * 1000 } : {};
  // GetInfo that the bridge asks on its own waits at most probeWait, or --timeout if shorter.
  const probes = new ServiceProbes(options.services, Math.min(probeWait, callOptions.timeout ?? probeWait));
  const directory = new InterfaceDirectory(probes, options.interfaceFiles);
  const onRequest = (request: IncomingMessage, response: ServerResponse): void => {
    const verdict = guardRequest(request, policy);
    if (!verdict.ok) return sendMessage(response, verdict.answer, verdict.reason);
    void route(request, response).catch((error: unknown) => {
      if (!response.headersSent) sendMessage(response, "Failed", `the bridge failed: ${String(error)}`);
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
    ? https.createServer(
        {
          ...options.tls,
          ...timeouts,
          requestCert: options.tls.ca !== undefined,
          rejectUnauthorized: options.tls.ca !== undefined,
          minVersion: "TLSv1.2",
        },
        onRequest,
      )
    : http.createServer(timeouts, onRequest);

  type RouteRequest = {
    request: IncomingMessage;
    response: ServerResponse;
    url: URL;
    segments: readonly string[];
    params: Readonly<Record<string, string>>;
  };
  const connectionTo = (request: IncomingMessage) => (service: string) => () =>
    connections.for(request.socket as Socket).connection(service);
  const call = ({ request, response, url, params }: RouteRequest): Promise<void> =>
    serveCall(
      request,
      response,
      url,
      { service: params["service"], method: params["method"]! },
      { options, directory, connectionTo: connectionTo(request) },
    );
  const explorerFile = ({ request, response, segments }: RouteRequest): void =>
    void serveExplorerFiles(segments, request, response, options.explorer!);
  const serviceOf = ({ request, params }: RouteRequest): (() => Promise<SocketConnection>) =>
    connectionTo(request)(params["service"]!);
  // GET /services/SERVICE and /services/SERVICE/INTERFACE.
  const introspection = (route: RouteRequest): Promise<void> | void => {
    const { response, params } = route;
    if (bridged(params, response))
      return handleIntrospection(
        serviceOf(route),
        params["interface"],
        response,
        callOptions,
        options.interfaceFiles?.get(params["service"]!),
      );
  };
  /** What each route of the table does (the WebSocket's is the upgrade below). */
  const handlers: { [name in RequestRouteName]: (request: RouteRequest) => void | Promise<void> } = {
    explorerPage: explorerFile,
    explorerScript: explorerFile,
    explorerStyle: explorerFile,
    explorerServices: ({ request, response }) =>
      handleExplorerServices(probes, connectionTo(request), options.interfaceFiles, response),
    health: ({ response }) => sendJson(response, 200, { status: "ok", services: [...options.services.keys()] }),
    services: ({ response }) => sendJson(response, 200, { services: [...options.services.keys()] }),
    service: introspection,
    serviceInterface: introspection,
    call,
    serviceCall: call,
    bridgeOpenApi: ({ request, response }) =>
      handleBridgeOpenApi(
        probes,
        connectionTo(request),
        `${options.tls ? "https" : "http"}://${request.headers.host}${options.base}`,
        response,
        options,
      ),
    interfaceOpenApi: (route) => {
      const { response, params } = route;
      if (bridged(params, response))
        return handleOpenApi(
          serviceOf(route),
          params["service"]!,
          params["interface"]!,
          response,
          options,
          callOptions,
        );
    },
  };
  const serves: Serves = (route) =>
    route.upgrade !== true && (route.explorer !== true || options.explorer !== undefined);

  async function route(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? "/", "http://bridge");
    const segments = pathSegments(url.pathname, options.base);
    if (segments === undefined) return sendMessage(response, "NotFound", `nothing is served at ${url.pathname}`);
    if (segments === "malformed") return sendMessage(response, "InvalidCall", "the path has a malformed %-escape");
    if (answeredPreflight(request, response)) return;
    const match = matchRoute(segments, serves);
    const allowed = match !== undefined && allowsMethod(match.route, request.method);
    if (!(allowed && match.route.public === true) && !authorized(request, url, false)) return unauthorized(response);
    if (match === undefined) return sendMessage(response, "NotFound", nothingServed(url.pathname, segments, serves));
    if (!allowed) return methodNotAllowed(response, match.route.methods.join(", "));
    return handlers[match.name as RequestRouteName]({ request, response, url, segments, params: match.params });
  }

  /** Whether the path names a bridged service, and a well-formed interface if any; if not, the answer says why. */
  function bridged(params: Readonly<Record<string, string>>, response: ServerResponse): boolean {
    const service = params["service"]!;
    const interfaceName = params["interface"];
    if (!options.services.has(service)) sendMessage(response, "NotFound", `no service named '${service}' is bridged`);
    else if (interfaceName !== undefined && !interfaceNamePattern.test(interfaceName))
      sendMessage(response, "InvalidCall", `'${interfaceName}' is not an interface name`);
    else return true;
    return false;
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
      const extra = Object.entries(headers)
        .map(([name, value]) => `${name}: ${value}\r\n`)
        .join("");
      socket.end(
        `HTTP/1.1 ${status} ${http.STATUS_CODES[status]}\r\nConnection: close\r\n${extra}Content-Type: text/plain\r\nContent-Length: ${Buffer.byteLength(reason)}\r\n\r\n${reason}`,
      );
    };
    const verdict = guardRequest(request, policy);
    if (!verdict.ok) return refuse(answers[verdict.answer].status, verdict.reason);
    const url = new URL(request.url ?? "/", "http://bridge");
    const segments = pathSegments(url.pathname, options.base);
    if (segments === "malformed") return refuse(answers.InvalidCall.status, "the path has a malformed %-escape");
    const match = segments !== undefined ? matchRoute(segments, (route) => route.upgrade === true) : undefined;
    if (match === undefined || (request.headers.upgrade ?? "").toLowerCase() !== "websocket")
      return refuse(answers.NotFound.status, "no such route");
    const problem = handshakeProblem(request);
    if (problem !== undefined) return refuse(problem.status, problem.reason, problem.headers);
    if (!authorized(request, url, true)) return refuse(answers.Unauthorized.status, "a bearer token is required");
    const address = options.services.get(match.params["service"]!);
    if (address === undefined)
      return refuse(answers.NotFound.status, `no service named '${match.params["service"]}' is bridged`);
    tunnels.add(socket);
    socket.on("close", () => tunnels.delete(socket));
    openTunnel(request, socket, head, address, refuse);
  });

  /** Bearer token in the header; WebSocket requests from browsers may carry it as ?access_token=. */
  function authorized(request: IncomingMessage, url: URL, websocket: boolean): boolean {
    if (options.token === undefined) return true;
    const header = request.headers.authorization ?? "";
    const given = /^bearer /i.test(header)
      ? header.slice(7).trimStart()
      : websocket
        ? (url.searchParams.get("access_token") ?? "")
        : "";
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

/** The path below `base`, split at "/" and decoded; undefined when it is not below `base`. */
function pathSegments(pathname: string, base: string): string[] | "malformed" | undefined {
  let path: string;
  if (base === "") path = pathname;
  else if (pathname === base) path = "/";
  else if (pathname.startsWith(`${base}/`)) path = pathname.slice(base.length);
  else return undefined;
  try {
    return path
      .split("/")
      .slice(1)
      .filter((segment, index, all) => segment !== "" || index < all.length - 1)
      .map(decodeURIComponent);
  } catch {
    return "malformed";
  }
}

function unauthorized(response: ServerResponse): void {
  response.setHeader("WWW-Authenticate", 'Bearer realm="varlink-ts bridge"');
  sendMessage(response, "Unauthorized", "a bearer token is required (Authorization: Bearer TOKEN)");
}

function methodNotAllowed(response: ServerResponse, allowed: string): void {
  response.setHeader("Allow", allowed);
  sendMessage(response, "MethodNotAllowed", `this route takes ${allowed}`);
}
