import { ExpectedMore, ExpectedUpgrade, InterfaceNotFound, InvalidParameter, MethodNotFound, MethodNotImplemented } from "../service/org.varlink.service.js";
import type { Accepted } from "../interface/descriptor.js";
import { kindOf, type ServerCall, type ServerNext, type ServerOutcome } from "../interceptors/server.js";
import type { MessageParameters } from "../protocol/call-types.js";
import { interfaceOf, memberOf } from "../protocol/messages.js";
import { Context, type ContextHost, type ReceivedCall } from "./call-context.js";
import { sendError, sendReply, streamReplies, type ReplySink } from "./replies.js";
import { RunningCall } from "./running-call.js";
import type { MethodImplementation } from "./types.js";

// One call from its arrival to its replies: find the method, check the call against its modes
// and parameters, run the handler, and send what it returns or yields. Whatever the handler
// (or an interceptor) does, throw anything, return what cannot be encoded, the call gets an
// answer. Without interceptors a call takes the direct path, which costs no promise for a
// synchronous handler; with them, the same steps run as the chain's innermost `next`.

/** A method table entry; `run` is the method wrapped in its interface's interceptors. */
export type ResolvedMethod = MethodImplementation & { run?: ServerNext | undefined };

/** The method table entry for `org.example.Interface` + `Method`, or why there is none. */
export type Resolve = (interfaceName: string, method: string) => ResolvedMethod | "no-interface" | "no-method";

/**
 * Runs one call; returns the running call only when it could not finish synchronously.
 * `intercepted` is the server's interceptors around resolveAndRun, when it has any.
 */
export function dispatch(call: ReceivedCall, resolve: Resolve, sink: ReplySink, host: ContextHost, intercepted?: ServerNext): RunningCall | undefined {
  if (intercepted !== undefined) return dispatchThrough(intercepted, call, sink, host);
  if (call.refusal !== undefined) return sendError(sink, call, call.refusal);
  const method = call.method;
  const implementation = resolve(interfaceOf(method), memberOf(method));
  if (typeof implementation === "string") return sendError(sink, call, unresolved(method, implementation));
  if (implementation.run !== undefined) return dispatchThrough(implementation.run, call, sink, host);
  const refusal = refusalOf(implementation, method, call.more === true, call.upgrade === true);
  if (refusal !== undefined) return sendError(sink, call, refusal);
  const handler = implementation.handler!;
  let accepted: Accepted<unknown> | Promise<Accepted<unknown>> | undefined;
  try {
    accepted = implementation.parameters?.(call.parameters);
  } catch (error) {
    return sendError(sink, call, error);
  }
  const context = new Context(call, host);
  // A schema library may check asynchronously: then the call runs once its check is done.
  if (isPromiseLike(accepted)) {
    const checked = accepted;
    return new RunningCall(sink, call, context, async (out) => {
      const result = handler(parametersOf(await checked), context);
      await finish(out, call, outcomeOf(await result));
    });
  }
  try {
    const result = handler(accepted !== undefined ? parametersOf(accepted) : call.parameters, context);
    // Reading `then` of what a handler returned can throw too (a getter, a Proxy).
    if (isPromiseLike(result)) return new RunningCall(sink, call, context, (out) => Promise.resolve(result).then((value) => finish(out, call, outcomeOf(value))));
    if (isAsyncIterable(result) || isGenerator(result)) return new RunningCall(sink, call, context, (out) => finish(out, call, outcomeOf(result)));
    if (call.oneway !== true && !sink.upgraded) sendReply(sink, call, result, false);
  } catch (error) {
    sendError(sink, call, error);
  }
  return undefined;
}

/** The innermost `next` of the server's interceptors: find the method, then run it (through its interface's interceptors). */
export function resolveAndRun(resolve: Resolve): ServerNext {
  return (serverCall) => {
    // A call too deep to read reaches the interceptors, and is refused here.
    if (serverCall.context instanceof Context && serverCall.context.call.refusal !== undefined) throw serverCall.context.call.refusal;
    const method = serverCall.method;
    const implementation = resolve(interfaceOf(method), memberOf(method));
    if (typeof implementation === "string") throw unresolved(method, implementation);
    return (implementation.run ?? runMethod(implementation))(serverCall);
  };
}

/** The innermost `next` of an interface's interceptors: check the call's modes and parameters, run the handler. */
export function runMethod(implementation: MethodImplementation): ServerNext {
  return (serverCall) => {
    const { more, upgrade } = serverCall.context;
    const refusal = refusalOf(implementation, serverCall.method, more, upgrade);
    if (refusal !== undefined) throw refusal;
    const handler = implementation.handler!;
    const accepted = implementation.parameters?.(serverCall.parameters);
    const run = (parameters: MessageParameters): ServerOutcome | Promise<ServerOutcome> => {
      const result = handler(parameters, serverCall.context);
      return isPromiseLike(result) ? Promise.resolve(result).then(outcomeOf) : outcomeOf(result);
    };
    if (isPromiseLike(accepted)) return Promise.resolve(accepted).then((settled) => run(parametersOf(settled)));
    return run(accepted !== undefined ? parametersOf(accepted) : serverCall.parameters);
  };
}

/** Runs a call through a chain of interceptors, then sends what it gave. */
function dispatchThrough(next: ServerNext, call: ReceivedCall, sink: ReplySink, host: ContextHost): RunningCall | undefined {
  const context = new Context(call, host);
  const serverCall: ServerCall = { method: call.method, kind: kindOf(call), parameters: call.parameters, context };
  try {
    const outcome = next(serverCall);
    if (isPromiseLike(outcome)) return new RunningCall(sink, call, context, (out) => Promise.resolve(outcome).then((settled) => finish(out, call, settled)));
    if (outcome?.kind === "stream") return new RunningCall(sink, call, context, (out) => finish(out, call, outcome));
    if (outcome?.kind !== "reply") throw badOutcome(call, outcome);
    if (call.oneway !== true && !sink.upgraded) sendReply(sink, call, outcome.parameters, false);
  } catch (error) {
    sendError(sink, call, error);
  }
  return undefined;
}

function unresolved(method: string, why: "no-interface" | "no-method"): Error {
  return why === "no-interface" ? new InterfaceNotFound({ interface: interfaceOf(method) || method }) : new MethodNotFound({ method });
}

/** Why a call cannot run at all: no handler, or a mode the method requires and the call lacks. */
function refusalOf(implementation: MethodImplementation, method: string, more: boolean, upgrade: boolean): Error | undefined {
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
  const given = typeof outcome === "object" && outcome !== null ? `{ kind: ${String((outcome as { kind?: unknown }).kind)} }` : String(outcome);
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
  return typeof (value as { next?: unknown } | null)?.next === "function" && Object.prototype.toString.call(value) === "[object Generator]";
}

function toAsync(generator: Generator<unknown>): AsyncIterator<unknown> {
  return {
    next: async () => generator.next(),
    return: async (value?: unknown) => generator.return(value),
  };
}
