// varlink-ts/runtime: the client, server and transports generated code stands on.
// It imports nothing but Node's standard library.
export { VarlinkClient, connect, type CallOptions, type ClientOptions, type UpgradeResult } from "./client.js";
export { VarlinkServer, type ServerOptions } from "./server.js";
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
export { parseAddress, formatAddress, AddressError, type Address } from "./address.js";
export { varlinkServiceDescription } from "./service.js";
export type { ExecSocket } from "./transports/exec.js";
export { defaultMaxMessageSize } from "./protocol/framing.js";
export { InterfaceClient, type InterfaceClientOptions } from "./interface-client.js";
export type { VarlinkConnection } from "./connection.js";
export { HttpClient, type HttpClientOptions } from "./http-client.js";
export { MessageClient, type MessageChannel } from "./message-client.js";
export { connectWebSocket, type WebSocketConnectOptions } from "./websocket/connect-node.js";
export {
  assertValidReply,
  describeValue,
  expectAny,
  expectBool,
  expectFloat,
  expectInt,
  expectObject,
  expectString,
  expectType,
  validator,
  type Check,
  type Report,
  fieldPath,
  formatIssue,
  indexPath,
  isEmptyObject,
  isFloat,
  isInt,
  isObject,
  keyPath,
  ownField,
  ReplyValidationError,
  reportExtraKeys,
  type JsonObject,
  type JsonValue,
  type StringSet,
  type ValidationIssue,
} from "./validation.js";
export type { ReplyStream } from "./reply-stream.js";
