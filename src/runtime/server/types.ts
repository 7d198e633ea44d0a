import type { Accepted } from "../interface/descriptor.js";
import type { MessageParameters } from "../protocol/call-types.js";
import type { CallContext } from "../interceptors/handler.js";
import type { ServerInterceptor } from "../interceptors/server.js";

/**
 * A method's implementation. It may return the reply parameters (or a promise of them), or an
 * async generator for `more` calls: every yielded value is a reply, the last one ends the call.
 */
export type Handler<P = any> = (parameters: P, context: CallContext) => unknown;

/** A method as the server runs it: its handler, the modes it takes, and how its parameters are checked. */
export interface MethodImplementation {
  /** Left out, the method answers MethodNotImplemented. */
  handler?: Handler | undefined;
  /** `requires`: calls without `more` get ExpectedMore. */
  more?: "requires" | "supports" | undefined;
  /** `requires`: calls without `upgrade` get ExpectedUpgrade. */
  upgrade?: "requires" | "supports" | undefined;
  /**
   * Checks a call's parameters, and converts them where the handler takes another form (integers
   * as bigints); for invalid ones, what is wrong: the call gets InvalidParameter naming the first.
   */
  parameters?: ((parameters: MessageParameters) => Accepted<unknown> | Promise<Accepted<unknown>>) | undefined;
}

/** An interface as the server serves it, untyped: its name, text and method table (what addInterface makes of a descriptor). */
export interface ServiceInterface {
  /** The interface name, e.g. `org.example.ftl`. */
  name: string;
  /** The exact interface text, returned by GetInterfaceDescription. */
  description: string;
  /** Implementations by method name; declared methods left out answer MethodNotImplemented. */
  methods: Record<string, MethodImplementation | Handler | undefined>;
  /** Around every call of this interface, inside the server's own interceptors. */
  interceptors?: readonly ServerInterceptor[] | undefined;
}

/** Where a server writes what went wrong: a handler's unexpected exception, a connection that failed. */
export type Logger = (message: string, error?: unknown) => void;
