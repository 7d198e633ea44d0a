// @varlink-ts/runtime: the client, server and transports generated code stands on.
// It imports nothing but Node's standard library.
export * from "./portable.js";
export { SocketConnection, connect, type SocketConnectionOptions } from "./client/socket-connection.js";
export { VarlinkServer, type ServerOptions } from "./server/server.js";
export { varlinkServiceDescription } from "./server/varlink-service.js";
export { parseAddress, formatAddress, AddressError, type Address } from "./transports/address.js";
export type { ExecSocket } from "./transports/exec.js";
export { defaultMaxMessageSize } from "./protocol/framing.js";
export { connectWebSocket, type WebSocketConnectOptions } from "./websocket/connect-node.js";
// Node's own HttpConnection (keep-alive over node:http, TLS client options) replaces the portable one.
export { HttpConnection, type NodeHttpConnectionOptions } from "./client/http-connection-node.js";
