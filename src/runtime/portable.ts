// What runs anywhere, Node or browser: connections over the HTTP bridge, typed clients from
// interface descriptors, errors, and validation. index.ts (Node) and browser.ts both export it.
// What only generated code calls is in ./codegen.ts.
export type {
  CallOptions,
  Fields,
  MessageParameters,
  NoFields,
  UpgradedStream,
  UpgradeResult,
  VarlinkConnection,
} from "./protocol/call-types.js";
export { parseJson, stringifyJson } from "./protocol/json.js";
export {
  CallAbortedError,
  ConnectionError,
  InternalError,
  CallTimedOut,
  CallTooDeep,
  ReplyTooDeep,
  ReplyTooLarge,
  ShuttingDown,
  FileDescriptorsNotSupported,
  MessageLimitError,
  NestingTooDeepError,
  ProtocolError,
  VarlinkError,
  type ErrorClass,
} from "./protocol/errors.js";
// org.varlink.service, generated from its interface file like any other: its descriptor, its
// reply types and the seven standard errors every connection raises as these classes.
export {
  Service as VarlinkService,
  ExpectedMore,
  ExpectedUpgrade,
  InterfaceNotFound,
  InvalidParameter,
  MethodNotFound,
  MethodNotImplemented,
  PermissionDenied,
  type GetInfoOutput,
} from "./service/org.varlink.service.js";
export type {
  Accepted,
  AnyInterfaceDescriptor,
  AnyMethodDescriptor,
  CallArguments,
  Client,
  ClientMethod,
  HandlerResult,
  Handlers,
  HandlersFor,
  InputOf,
  InterfaceDescriptor,
  Method,
  MethodDescriptor,
  MethodHandler,
  ModeSupport,
  OutputOf,
  StreamingMethod,
  UpgradingMethod,
  WithMore,
  WithUpgrade,
} from "./interface/descriptor.js";
export { createClient, type ClientOptions } from "./client/create-client.js";
export { HttpConnection, type HttpConnectionOptions } from "./client/http-connection.js";
export { fetchTransport, type HttpReply, type HttpRequest, type HttpTransport } from "./client/http-transport.js";
export { MessageConnection, type MessageChannel } from "./client/message-connection.js";
export type { Handler, Logger, MethodImplementation, ServiceInterface } from "./server/types.js";
export type { CallContext, Replies, Reply, Upgraded } from "./interceptors/handler.js";
export { implementInterface, type ImplementOptions } from "./server/implement.js";
export {
  intercept,
  type CallKind,
  type ClientCall,
  type ClientInterceptor,
  type ClientNext,
  type ClientOutcome,
} from "./interceptors/client.js";
export type { ServerCall, ServerInterceptor, ServerNext, ServerOutcome } from "./interceptors/server.js";
export { logClientCalls, logServerCalls, type LogLine } from "./interceptors/logging.js";
export { deadline, type DeadlineOptions } from "./interceptors/deadline.js";
export { fdsOf, withFds } from "./fds/carry.js";
export type { ReceivedFds } from "./fds/message-fds.js";
export type { PeerCredentials } from "./fds/peer.js";
export type {
  CheckOptions,
  Float,
  Int,
  JsonObject,
  JsonValue,
  LosslessJsonObject,
  LosslessJsonValue,
  StringMap,
  StringSet,
} from "./validation/checks.js";
export { ReplyValidationError, type ValidationIssue } from "./validation/issues.js";
export type {
  Schema,
  StandardSchemaV1,
  StandardSchemaV1Issue,
  StandardSchemaV1Props,
  StandardSchemaV1Result,
  ValidationResult,
} from "./validation/schema.js";
export {
  defineInterface,
  type DefinedInterface,
  type DescribedSchema,
  type SchemaError,
  type SchemaErrorClass,
  type SchemaMethod,
  type SchemaMethods,
  type StandardJSONSchemaV1,
  type StandardJSONSchemaV1Props,
} from "./interface/define.js";
export { SchemaConversionError, type JsonSchema } from "./interface/json-schema.js";
