// Errors a varlink peer can send, and the ones the runtime raises itself.

export type Parameters = Record<string, unknown>;

/** An error reply from a service: `errorName` is the fully qualified error name. */
export class VarlinkError<P extends object = Parameters> extends Error {
  constructor(
    readonly errorName: string,
    readonly parameters: P = {} as P,
    message?: string,
  ) {
    super(message ?? `${errorName}${Object.keys(parameters).length > 0 ? ` ${JSON.stringify(parameters)}` : ""}`);
    this.name = "VarlinkError";
  }
}

const service = "org.varlink.service";

export class InterfaceNotFound extends VarlinkError {
  constructor(readonly interfaceName: string) {
    super(`${service}.InterfaceNotFound`, { interface: interfaceName });
  }
}

export class MethodNotFound extends VarlinkError {
  constructor(readonly method: string) {
    super(`${service}.MethodNotFound`, { method });
  }
}

export class MethodNotImplemented extends VarlinkError {
  constructor(readonly method: string) {
    super(`${service}.MethodNotImplemented`, { method });
  }
}

export class InvalidParameter extends VarlinkError {
  constructor(readonly parameter: string) {
    super(`${service}.InvalidParameter`, { parameter });
  }
}

export class PermissionDenied extends VarlinkError {
  constructor() {
    super(`${service}.PermissionDenied`, {});
  }
}

export class ExpectedMore extends VarlinkError {
  constructor() {
    super(`${service}.ExpectedMore`, {});
  }
}

export class ExpectedUpgrade extends VarlinkError {
  constructor() {
    super(`${service}.ExpectedUpgrade`, {});
  }
}

/**
 * What a handler's unexpected exception becomes on the wire. It is not part of
 * org.varlink.service, so it lives in a namespace of our own; details stay in the server log.
 */
export const internalErrorName = "org.varlinkts.InternalError";

/** Builds an error from a reply; known names become their own classes so `instanceof` works. */
export type ErrorFactory = (parameters: Parameters) => VarlinkError<object>;

const standardErrors: Record<string, ErrorFactory> = {
  [`${service}.InterfaceNotFound`]: (p) => new InterfaceNotFound(String(p["interface"] ?? "")),
  [`${service}.MethodNotFound`]: (p) => new MethodNotFound(String(p["method"] ?? "")),
  [`${service}.MethodNotImplemented`]: (p) => new MethodNotImplemented(String(p["method"] ?? "")),
  [`${service}.InvalidParameter`]: (p) => new InvalidParameter(String(p["parameter"] ?? "")),
  [`${service}.PermissionDenied`]: () => new PermissionDenied(),
  [`${service}.ExpectedMore`]: () => new ExpectedMore(),
  [`${service}.ExpectedUpgrade`]: () => new ExpectedUpgrade(),
};

/** Error classes for names beyond org.varlink.service, keyed by fully qualified name. */
export class ErrorRegistry {
  private readonly factories = new Map<string, ErrorFactory>(Object.entries(standardErrors));

  register(name: string, factory: ErrorFactory): this {
    this.factories.set(name, factory);
    return this;
  }

  create(name: string, parameters: Parameters): VarlinkError<object> {
    const factory = this.factories.get(name);
    const error = factory ? factory(parameters) : new VarlinkError(name, parameters);
    return error;
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

/** A call ended because its AbortSignal fired or its timeout ran out. */
export class CallAbortedError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "AbortError";
  }
}
