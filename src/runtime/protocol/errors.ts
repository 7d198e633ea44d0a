import type { MessageParameters } from "./call-types.js";

// Errors a varlink peer can send, and the ones the runtime raises itself.

/**
 * An error reply from a service. `errorName` is the fully qualified varlink name; `name` is its
 * last part (`NoRecordFound`), as for any JavaScript error class. Generated error classes extend
 * it with typed parameters.
 */
export class VarlinkError<P extends object = MessageParameters> extends Error {
  constructor(
    readonly errorName: string,
    readonly parameters: P = {} as P,
    message?: string,
  ) {
    super(
      message ??
        `${errorName}${Object.keys(parameters).length > 0 ? ` ${JSON.stringify(parameters, bigintAsText)}` : ""}`,
    );
    this.name = errorName.slice(errorName.lastIndexOf(".") + 1) || "VarlinkError";
  }
}

function bigintAsText(_key: string, value: unknown): unknown {
  return typeof value === "bigint" ? value.toString() : value;
}

/** An error class as generated code declares it: its varlink name, and a constructor from parameters. */
export interface ErrorClass {
  readonly errorName: string;
  new (parameters: never): VarlinkError<object>;
}

// The errors the runtime itself answers calls with. They are not part of org.varlink.service,
// so they live in a namespace of our own, org.varlinkts; like org.varlink.service's, a client
// reads them as these classes (`error instanceof CallTimedOut`), on every connection.

/** A handler's unexpected exception, as the caller gets it; the details stay in the server log. */
export class InternalError extends VarlinkError<{}> {
  static readonly errorName = "org.varlinkts.InternalError";
  constructor(parameters: {} = {}) {
    super(InternalError.errorName, parameters);
  }
}

/** What a call gets when it runs past the server's `callTimeout` (its handler's signal fires). */
export class CallTimedOut extends VarlinkError<{ timeout?: number }> {
  static readonly errorName = "org.varlinkts.CallTimedOut";
  constructor(parameters: { timeout?: number } = {}) {
    super(CallTimedOut.errorName, parameters);
  }
}

/** What a call gets when its parameters nest deeper than the server reads (maxNestingDepth). */
export class CallTooDeep extends VarlinkError<{ limit?: number }> {
  static readonly errorName = "org.varlinkts.CallTooDeep";
  constructor(parameters: { limit?: number } = {}) {
    super(CallTooDeep.errorName, parameters);
  }
}

/** What a call gets when the reply its handler made is larger than the message size limit. */
export class ReplyTooLarge extends VarlinkError<{ size?: number; limit?: number }> {
  static readonly errorName = "org.varlinkts.ReplyTooLarge";
  constructor(parameters: { size?: number; limit?: number } = {}) {
    super(ReplyTooLarge.errorName, parameters);
  }
}

/** What a call gets when the reply its handler made nests deeper than maxNestingDepth. */
export class ReplyTooDeep extends VarlinkError<{ limit?: number }> {
  static readonly errorName = "org.varlinkts.ReplyTooDeep";
  constructor(parameters: { limit?: number } = {}) {
    super(ReplyTooDeep.errorName, parameters);
  }
}

/** What running streams (and handlers that fail once told to stop) get when the server closes. */
export class ShuttingDown extends VarlinkError<{}> {
  static readonly errorName = "org.varlinkts.ShuttingDown";
  constructor(parameters: {} = {}) {
    super(ShuttingDown.errorName, parameters);
  }
}

/**
 * What a call gets when file descriptors should cross a connection that cannot carry them: a
 * reply with fds on a plain socket, a call with fds through the HTTP bridge or over pipes.
 */
export class FileDescriptorsNotSupported extends VarlinkError<{}> {
  static readonly errorName = "org.varlinkts.FileDescriptorsNotSupported";
  constructor(parameters: {} = {}) {
    super(FileDescriptorsNotSupported.errorName, parameters);
  }
}

/** The connection is gone or could not be made; every pending call fails with this. */
export class ConnectionError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "ConnectionError";
  }
}

/** The peer broke the protocol (bad framing, bad JSON, a message over the size limit). */
export class ProtocolError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ProtocolError";
  }
}

/**
 * JSON nested deeper than the limit (maxNestingDepth, 512), refused where it was read. `value` is
 * the text as JSON.parse made it, unconverted: safe to read a few keys of (a call's method), not
 * to walk.
 */
export class NestingTooDeepError extends ProtocolError {
  constructor(
    readonly limit: number,
    readonly value: unknown,
  ) {
    super(`JSON nested deeper than ${limit} levels`);
    this.name = "NestingTooDeepError";
  }
}

/**
 * A message that this side refused to send because the peer could not take it: larger than the
 * message size limit, or nested deeper than the nesting limit. Nothing was sent; the connection
 * is unharmed.
 */
export class MessageLimitError extends Error {
  constructor(
    message: string,
    readonly limit: { kind: "size"; size: number; max: number } | { kind: "depth"; max: number },
  ) {
    super(message);
    this.name = "MessageLimitError";
  }
}

/**
 * Whether `error` is how work gave up when its signal fired with `reason`: the reason itself, or
 * an AbortError (what the APIs that take a signal throw). Never throws, whatever `error` is.
 */
export function isAbortOf(error: unknown, reason: unknown): boolean {
  if (error === reason) return true;
  try {
    return (error as { name?: unknown } | null)?.name === "AbortError";
  } catch {
    return false;
  }
}

/**
 * Whether `value` is a VarlinkError. Never throws: `instanceof` does, on a revoked Proxy, and a
 * handler may throw anything.
 */
export function isVarlinkError(value: unknown): value is VarlinkError {
  try {
    return value instanceof VarlinkError;
  } catch {
    return false;
  }
}

/**
 * What `error` says, for a log: its stack (or only its message, `withStack` false), or what
 * String makes of it. Never throws: a handler may throw a revoked Proxy, or an object whose
 * getters throw.
 */
export function errorText(error: unknown, withStack = true): string {
  try {
    if (error instanceof Error) return (withStack ? error.stack : undefined) ?? error.message;
    return String(error);
  } catch {
    return "(a value that cannot be read)";
  }
}

/** A call ended because its AbortSignal fired or its timeout ran out. */
export class CallAbortedError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "AbortError";
  }
}
