import { ExpectedMore, ExpectedUpgrade, InterfaceNotFound, InvalidParameter, MethodNotFound, MethodNotImplemented } from "../service/org.varlink.service.js";
import type { Accepted } from "../interface/descriptor.js";
import type { MessageParameters } from "../protocol/call-types.js";
import { interfaceOf, memberOf } from "../protocol/messages.js";
import { Context, type ContextHost, type ReceivedCall } from "./call-context.js";
import { sendError, sendReply, streamReplies, type ReplySink } from "./replies.js";
import { RunningCall } from "./running-call.js";
import type { MethodImplementation } from "./types.js";

// One call from its arrival to its replies: find the method, check the call against its modes
// and parameters, run the handler, and send what it returns or yields. Whatever the handler
// does (throw anything, return what cannot be encoded), the call gets an answer.

/** The method table entry for `org.example.Interface` + `Method`, or why there is none. */
export type Resolve = (interfaceName: string, method: string) => MethodImplementation | "no-interface" | "no-method";

/** Runs one call; returns the running call only when it could not finish synchronously. */
export function dispatch(call: ReceivedCall, resolve: Resolve, sink: ReplySink, host: ContextHost): RunningCall | undefined {
  if (call.refusal !== undefined) return sendError(sink, call, call.refusal);
  const method = call.method;
  const interfaceName = interfaceOf(method);
  const implementation = resolve(interfaceName, memberOf(method));
  if (implementation === "no-interface") return sendError(sink, call, new InterfaceNotFound({ interface: interfaceName || method }));
  if (implementation === "no-method") return sendError(sink, call, new MethodNotFound({ method }));
  const handler = implementation.handler;
  if (handler === undefined) return sendError(sink, call, new MethodNotImplemented({ method }));
  if (implementation.more === "requires" && call.more !== true) return sendError(sink, call, new ExpectedMore());
  if (implementation.upgrade === "requires" && call.upgrade !== true) return sendError(sink, call, new ExpectedUpgrade());
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
      await finish(out, call, await result);
    });
  }
  try {
    if (accepted !== undefined) call.parameters = parametersOf(accepted);
    const result = handler(call.parameters, context);
    // Reading `then` of what a handler returned can throw too (a getter, a Proxy).
    if (isPromiseLike(result)) return new RunningCall(sink, call, context, (out) => Promise.resolve(result).then((value) => finish(out, call, value)));
    if (isAsyncIterable(result) || isGenerator(result)) return new RunningCall(sink, call, context, (out) => finish(out, call, result));
    if (call.oneway !== true && !sink.upgraded) sendReply(sink, call, result, false);
  } catch (error) {
    sendError(sink, call, error);
  }
  return undefined;
}

/** The parameters the handler gets; invalid ones are refused with InvalidParameter, naming the first problem's place. */
function parametersOf(accepted: Accepted<unknown>): MessageParameters {
  if (!accepted.ok) throw new InvalidParameter({ parameter: accepted.issues[0]?.path ?? "" });
  return accepted.value as MessageParameters;
}

/** Sends what a handler returned: a reply, or the replies of a generator. */
async function finish(sink: ReplySink, call: ReceivedCall, value: unknown): Promise<void> {
  if (sink.upgraded) return;
  if (isAsyncIterable(value)) return streamReplies(sink, call, value[Symbol.asyncIterator]());
  if (isGenerator(value)) return streamReplies(sink, call, toAsync(value));
  if (call.oneway !== true) sendReply(sink, call, value, false);
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
