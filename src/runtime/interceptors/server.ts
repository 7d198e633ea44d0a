import type { MessageParameters } from "../protocol/call-types.js";
import type { CallContext } from "./handler.js";
import type { CallKind } from "./client.js";

// Server interceptors: each wraps the next, the first given the outermost. The server's own run
// around every call it reads (a call of an unknown method too: `next` then fails with
// MethodNotFound); an interface's run inside them, around that interface's methods.

/** A call as it arrived, before its parameters are checked; an interceptor may pass `next` other parameters. */
export interface ServerCall {
  /** The fully qualified method, `org.example.ftl.Jump`. */
  readonly method: string;
  readonly kind: CallKind;
  /** As they came on the wire: `next` checks them (InvalidParameter) before the handler sees them. */
  readonly parameters: MessageParameters;
  /**
   * The handler's context: the call's flags, its signal (which fires when the client leaves, the
   * call times out or the server closes). Pass it on as it is.
   */
  readonly context: CallContext;
}

/**
 * What `next` gives back: the handler's reply, or its replies for a `more` call (produced as
 * they are read: wrapping the iterable sees, changes or stops each one). A handler that throws
 * rejects `next` with its error. An interceptor that throws answers the call as a handler that
 * throws does: a VarlinkError as it is, anything else as InternalError, logged. For a `oneway`
 * call the reply is dropped; for an `upgrade`, the reply went out when the handler took the
 * connection.
 */
export type ServerOutcome =
  | { readonly kind: "reply"; readonly parameters: unknown }
  | { readonly kind: "stream"; readonly replies: AsyncIterable<unknown> };

/** May answer at once or with a promise: a synchronous handler behind pass-through interceptors costs no promise. */
export type ServerNext = (call: ServerCall) => ServerOutcome | Promise<ServerOutcome>;

/** Wraps the rest of the chain: `(next) => async (call) => { …; return next(call); }`. */
export type ServerInterceptor = (next: ServerNext) => ServerNext;

/** `next` wrapped in `interceptors`, the first outermost. */
export function chainServer(interceptors: readonly ServerInterceptor[], next: ServerNext): ServerNext {
  return interceptors.reduceRight((inner, interceptor) => interceptor(inner), next);
}

/** How a call with these flags is made. A oneway call gets no reply, whatever else it asks for. */
export function kindOf(call: {
  oneway?: boolean | undefined;
  more?: boolean | undefined;
  upgrade?: boolean | undefined;
}): CallKind {
  if (call.oneway === true) return "oneway";
  if (call.upgrade === true) return "upgrade";
  return call.more === true ? "more" : "call";
}
