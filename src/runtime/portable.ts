// What runs anywhere, Node or browser: errors, validation, generated clients' base and the HTTP
// bridge's transports. index.ts (Node) and browser.ts both export it.
export type { CallOptions, UpgradeResult } from "./client.js";
export type { CallContext, Handler, Logger, MethodImplementation, ServiceInterface } from "./server-types.js";
export {
  CallAbortedError,
  ConnectionError,
  ErrorRegistry,
  ExpectedMore,
  ExpectedUpgrade,
  InterfaceNotFound,
  internalErrorName,
  InvalidParameter,
  MethodNotFound,
  MethodNotImplemented,
  PermissionDenied,
  ProtocolError,
  VarlinkError,
  type ErrorFactory,
  type Parameters,
} from "./errors.js";
export { InterfaceClient, type InterfaceClientOptions } from "./interface-client.js";
export { implementInterface, type HandlerResult, type MethodSpec } from "./implement-interface.js";
export type { VarlinkConnection } from "./connection.js";
export { HttpClient, type HttpClientOptions } from "./http-client.js";
export { MessageClient, type MessageChannel } from "./message-client.js";
export * from "./validation.js";
export type { ReplyStream } from "./reply-stream.js";
