import type { VarlinkConnection } from "../protocol/call-types.js";
import { intercept, type ClientInterceptor } from "../interceptors/client.js";
import { AddressError, parseAddress } from "../transports/address.js";
import { connectWebSocket } from "./websocket-node.js";
import { HttpConnection } from "./http-connection-node.js";
import type { NodeHttpOptions } from "./http-transport-node.js";
import { SocketConnection, type SocketConnectionOptions } from "./socket-connection.js";

// One entry point for every address a varlink tool takes: sockets and programs, ssh, and the
// HTTP bridge's URLs (UAPI.20), whose connections are HTTP requests or a WebSocket.

/** How openConnection connects, whatever the address: socket limits, a bridge's token, TLS options, interceptors. */
export interface OpenConnectionOptions extends SocketConnectionOptions, NodeHttpOptions {
  signal?: AbortSignal;
  /** A bridge's bearer token. */
  token?: string;
  /**
   * For a bridge URL that names no service: the service the calls are for. Bridges name services
   * after the interface they implement, so tools pass the interface of the method they call.
   */
  service?: string;
  /** Around every call made on the connection, the first outermost. */
  interceptors?: readonly ClientInterceptor[];
}

/**
 * Opens a connection to `address`:
 * - `unix:`, `tcp:`, `exec:`, `ssh-exec:`, `ssh-unix:`, `/path` and `./path`: a SocketConnection;
 * - `http(s)://BASE[?service=NAME]`: calls as HTTP requests (HttpConnection);
 * - `ws(s)://BASE/ws/services/NAME` (or http(s) with that path), or `ws(s)://BASE?service=NAME`:
 *   the raw protocol over a WebSocket.
 */
export async function openConnection(address: string, options: OpenConnectionOptions = {}): Promise<VarlinkConnection> {
  return intercept(await open(address, options), options.interceptors);
}

async function open(address: string, options: OpenConnectionOptions): Promise<VarlinkConnection> {
  const parsed = parseAddress(address);
  if (parsed.kind !== "bridge") return SocketConnection.connect(address, options);
  const url = parsed.url;
  const tls = {
    ...(options.ca !== undefined ? { ca: options.ca } : {}),
    ...(options.cert !== undefined ? { cert: options.cert } : {}),
    ...(options.key !== undefined ? { key: options.key } : {}),
  };
  const token = options.token !== undefined ? { token: options.token } : {};
  const named = url.searchParams.get("service") ?? undefined;
  const base = `${url.origin}${url.pathname.replace(/\/+$/, "")}`;
  const tunnel = /\/ws\/services\/[^/]+$/.test(url.pathname);
  const websocket = url.protocol === "ws:" || url.protocol === "wss:" || tunnel;
  // Without ?service=, calls go to /call/METHOD, where the bridge finds the service itself.
  if (!websocket)
    return new HttpConnection(base, { ...tls, ...token, ...(named !== undefined ? { service: named } : {}) });
  const scheme = url.protocol === "https:" || url.protocol === "wss:" ? "wss:" : "ws:";
  const target = tunnel
    ? `${scheme}//${url.host}${url.pathname}`
    : serviceUrl(address, scheme, url, named ?? options.service);
  return connectWebSocket(target, {
    ...tls,
    ...token,
    ...(options.signal !== undefined ? { signal: options.signal } : {}),
  });
}

function serviceUrl(address: string, scheme: string, url: URL, service: string | undefined): string {
  if (service === undefined)
    throw new AddressError(address, "a WebSocket needs a service: add ?service=NAME or /ws/services/NAME");
  return `${scheme}//${url.host}${url.pathname.replace(/\/+$/, "")}/ws/services/${encodeURIComponent(service)}`;
}
