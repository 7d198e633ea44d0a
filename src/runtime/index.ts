// @varlink-ts/runtime: the client, server and transports generated code stands on.
// It imports nothing but Node's standard library.
export * from "./portable.js";
export { SocketConnection, connect, type SocketConnectionOptions } from "./client/socket-connection.js";
export { VarlinkServer, type ListenOptions, type ServerOptions } from "./server/server.js";
export { listRegistry, registryDirectory, type RegistryEntry, type RegistryScope } from "./server/registry.js";
export { varlinkServiceDescription } from "./server/varlink-service.js";
export { parseAddress, formatAddress, AddressError, type Address, type StreamAddress } from "./transports/address.js";
export type { ExecSocket } from "./transports/exec.js";
export { connectWebSocket, type WebSocketConnectOptions } from "./client/websocket-node.js";
// Node's own HttpConnection (keep-alive over node:http, TLS client options) replaces the portable one.
export { HttpConnection, type NodeHttpConnectionOptions } from "./client/http-connection-node.js";
export { openConnection, type OpenConnectionOptions } from "./client/open-connection.js";
export { ReceivedFds } from "./fds/message-fds.js";
export type { FdListener, FdPassing, FdStream } from "./fds/fd-stream.js";
