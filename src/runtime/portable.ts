// What runs anywhere, Node or browser: errors, validation, typed clients, the service side of
// generated code, and the HTTP bridge's connections. index.ts (Node) and browser.ts both export
// it; generated code uses nothing else.
export type { CallOptions, Parameters, UpgradedStream, UpgradeResult, VarlinkConnection } from "./protocol/call-types.js";
export { parseJson, stringifyJson, hasBigIntegers, maxNestingDepth } from "./protocol/json.js";
export {
  CallAbortedError,
  ConnectionError,
  errorFromReply,
  ExpectedMore,
  ExpectedUpgrade,
  InterfaceNotFound,
  internalErrorName,
  callTimeoutErrorName,
  callTooDeepErrorName,
  replyTooDeepErrorName,
  replyTooLargeErrorName,
  shuttingDownErrorName,
  MessageLimitError,
  NestingTooDeepError,
  InvalidParameter,
  MethodNotFound,
  MethodNotImplemented,
  PermissionDenied,
  ProtocolError,
  VarlinkError,
  type ErrorClass,
} from "./errors.js";
export {
  createClient,
  type CallArguments,
  type ClientMethodSpec,
  type ClientOptions,
  type ClientSpec,
  type Method,
  type MethodWithMore,
  type MethodWithMoreAndUpgrade,
  type MethodWithUpgrade,
  type StreamingMethod,
  type UpgradingMethod,
  type WithMore,
  type WithUpgrade,
} from "./client/create-client.js";
export { HttpConnection, type HttpConnectionOptions } from "./client/http-connection.js";
export { fetchTransport, type HttpReply, type HttpRequest, type HttpTransport } from "./client/http-transport.js";
export { MessageConnection, type MessageChannel } from "./client/message-connection.js";
export { implementInterface, type ServiceMethodSpec, type ServiceSpec } from "./server/implement.js";
export type { CallContext, Handler, Logger, MethodImplementation, Replies, Reply, ServiceInterface, Upgraded } from "./server/types.js";
export {
  isArray,
  isEmptyObject,
  isFloat,
  isInt,
  isObject,
  isStringSet,
  fieldCount,
  ownField,
  presence,
  type CheckOptions,
  type JsonObject,
  type JsonValue,
  type LosslessJsonObject,
  type LosslessJsonValue,
  type StringMap,
  type StringSet,
} from "./validation/checks.js";
export { describeValue, formatIssue, ReplyValidationError, type ValidationIssue } from "./validation/issues.js";
export { interfaceTypes, readInterfaceTypes, typeText, type InterfaceTypes, type TypeDescription, type TypeTable } from "./validation/interface-types.js";
export { reportIssues, type ReportOptions } from "./validation/report.js";
export { convertIntegers, type IntegerMode } from "./validation/integers.js";
export {
  schema,
  validateWith,
  type Check,
  type Schema,
  type StandardSchemaV1,
  type StandardSchemaV1Issue,
  type StandardSchemaV1Props,
  type StandardSchemaV1Result,
  type ValidationResult,
} from "./validation/schema.js";
