// varlink-ts/runtime: the client, server and transports generated code stands on.
// It imports nothing but Node's standard library.
export * from "./portable.js";
export { VarlinkClient, connect, type ClientOptions } from "./client.js";
export { VarlinkServer, type ServerOptions } from "./server.js";
export { parseAddress, formatAddress, AddressError, type Address } from "./address.js";
export { varlinkServiceDescription } from "./service.js";
export type { ExecSocket } from "./transports/exec.js";
export { defaultMaxMessageSize } from "./protocol/framing.js";
export { connectWebSocket, type WebSocketConnectOptions } from "./websocket/connect-node.js";
