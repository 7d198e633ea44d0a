// @varlink-ts/runtime in a browser (the package's "browser" export condition): everything
// generated clients and validators use, with the HTTP bridge's transports; no sockets or servers.
export * from "./portable.js";
export { connectWebSocket, type WebSocketConnectOptions } from "./client/websocket-browser.js";
