import {
  ExpectedMore,
  ExpectedUpgrade,
  InterfaceNotFound,
  InvalidParameter,
  MethodNotFound,
  MethodNotImplemented,
} from "../service/org.varlink.service.js";
import type { Accepted } from "../interface/descriptor.js";
import { kindOf, type ServerCall, type ServerNext, type ServerOutcome } from "../interceptors/server.js";
import type { MessageParameters } from "../protocol/call-types.js";
import { interfaceOf, memberOf } from "../protocol/messages.js";
import { Context, type ContextHost, type ReceivedCall } from "./call-context.js";
import { sendError, sendReply, streamReplies, type ReplySink } from "./replies.js";
import { RunningCall } from "./running-call.js";
import type { CallContext } from "../interceptors/handler.js";
import type { Handler, MethodImplementation } from "./types.js";

// One call from its arrival to its replies: find the method, check the call against its modes
// and parameters, run the handler, and send what it returns or yields. Whatever the handler
// (or an interceptor) does, throw anything, return what cannot be encoded, the call gets an
// answer. Every call takes one path, the chain of `next`s; without interceptors the chain is
// resolveAndRun and runMethod themselves (chainServer adds nothing), and a synchronous handler
// costs no promise.

/** The method table entry for `org.example.Interface` + `Method` (its handler wrapped in its interface's interceptors), or why there is none. */
export type Resolve = (interfaceName: string, method: string) => ServerNext | "no-interface" | "no-method";

/**
 * Runs one call through `next` (the server's interceptors around resolveAndRun), then sends what
 * it gave; returns the running call only when it could not finish synchronously.
 */
export function dispatch(
  call: ReceivedCall,
  next: ServerNext,
  sink: ReplySink,
  host: ContextHost,
): RunningCall | undefined {
  const context = new Context(call, host);
  const serverCall: ServerCall = { method: call.method, kind: kindOf(call), parameters: call.parameters, context };
  try {
    const outcome = next(serverCall);
    if (isPromiseLike(outcome))
      return new RunningCall(sink, call, context, (out) =>
        Promise.resolve(outcome).then((settled) => finish(out, call, settled)),
      );
    if (outcome?.kind === "stream") return new RunningCall(sink, call, context, (out) => finish(out, call, outcome));
    if (outcome?.kind !== "reply") throw badOutcome(call, outcome);
    if (call.oneway !== true && !sink.upgraded) sendReply(sink, call, outcome.parameters, false);
  } catch (error) {
    sendError(sink, call, error);
  }
  return undefined;
}

/** The innermost `next` of the server's interceptors: find the method, then run it (through its interface's interceptors). */
export function resolveAndRun(resolve: Resolve): ServerNext {
  return (serverCall) => {
    // A call too deep to read reaches the interceptors, and is refused here.
    if (serverCall.context instanceof Context && serverCall.context.call.refusal !== undefined)
      throw serverCall.context.call.refusal;
    const method = serverCall.method;
    const run = resolve(interfaceOf(method), memberOf(method));
    if (typeof run === "string") throw unresolved(method, run);
    return run(serverCall);
  };
}

/** The innermost `next` of an interface's interceptors: check the call's modes and parameters, run the handler. */
export function runMethod(implementation: MethodImplementation): ServerNext {
  return (serverCall) => {
    const { more, upgrade } = serverCall.context;
    const refusal = refusalOf(implementation, serverCall.method, more, upgrade);
    if (refusal !== undefined) throw refusal;
    const accepted = implementation.parameters?.(serverCall.parameters);
    // A schema library may check asynchronously: then the handler runs once its check is done.
    if (isPromiseLike(accepted))
      return Promise.resolve(accepted).then((settled) =>
        runHandler(implementation.handler!, parametersOf(settled), serverCall.context),
      );
    return runHandler(
      implementation.handler!,
      accepted !== undefined ? parametersOf(accepted) : serverCall.parameters,
      serverCall.context,
    );
  };
}

function runHandler(
  handler: Handler,
  parameters: MessageParameters,
  context: CallContext,
): ServerOutcome | Promise<ServerOutcome> {
  const result = handler(parameters, context);
  // Reading `then` of what a handler returned can throw too (a getter, a Proxy): the call then fails.
  return isPromiseLike(result) ? Promise.resolve(result).then(outcomeOf) : outcomeOf(result);
}

function unresolved(method: string, why: "no-interface" | "no-method"): Error {
  return why === "no-interface"
    ? new InterfaceNotFound({ interface: interfaceOf(method) || method })
    : new MethodNotFound({ method });
}

/** Why a call cannot run at all: no handler, or a mode the method requires and the call lacks. */
function refusalOf(
  implementation: MethodImplementation,
  method: string,
  more: boolean,
  upgrade: boolean,
): Error | undefined {
  if (implementation.handler === undefined) return new MethodNotImplemented({ method });
  if (implementation.more === "requires" && !more) return new ExpectedMore();
  if (implementation.upgrade === "requires" && !upgrade) return new ExpectedUpgrade();
  return undefined;
}

/** The parameters the handler gets; invalid ones are refused with InvalidParameter, naming the first problem's place. */
function parametersOf(accepted: Accepted<unknown>): MessageParameters {
  if (!accepted.ok) throw new InvalidParameter({ parameter: accepted.issues[0]?.path ?? "" });
  return accepted.value as MessageParameters;
}

/** What a handler returned, as the chain passes it on: one reply, or a generator's replies. */
function outcomeOf(value: unknown): ServerOutcome {
  if (isAsyncIterable(value)) return { kind: "stream", replies: value };
  if (isGenerator(value)) return { kind: "stream", replies: { [Symbol.asyncIterator]: () => toAsync(value) } };
  return { kind: "reply", parameters: value };
}

function badOutcome(call: ReceivedCall, outcome: unknown): TypeError {
  const given =
    typeof outcome === "object" && outcome !== null
      ? `{ kind: ${String((outcome as { kind?: unknown }).kind)} }`
      : String(outcome);
  return new TypeError(`an interceptor of ${call.method} gave ${given}, not { kind: "reply" } or { kind: "stream" }`);
}

/** Sends a call's outcome: a reply, or the replies of a stream. */
async function finish(sink: ReplySink, call: ReceivedCall, outcome: ServerOutcome): Promise<void> {
  if (sink.upgraded) return;
  if (outcome?.kind === "stream") return streamReplies(sink, call, outcome.replies[Symbol.asyncIterator]());
  if (outcome?.kind !== "reply") throw badOutcome(call, outcome);
  if (call.oneway !== true) sendReply(sink, call, outcome.parameters, false);
}

function isPromiseLike(value: unknown): value is PromiseLike<unknown> {
  return typeof (value as { then?: unknown } | null)?.then === "function";
}

function isAsyncIterable(value: unknown): value is AsyncIterable<unknown> {
  return typeof (value as { [Symbol.asyncIterator]?: unknown } | null)?.[Symbol.asyncIterator] === "function";
}

function isGenerator(value: unknown): value is Generator<unknown> {
  return (
    typeof (value as { next?: unknown } | null)?.next === "function" &&
    Object.prototype.toString.call(value) === "[object Generator]"
  );
}

function toAsync(generator: Generator<unknown>): AsyncIterator<unknown> {
  return {
    next: async () => generator.next(),
    return: async (value?: unknown) => generator.return(value),
  };
}
