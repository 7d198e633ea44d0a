import { callTimeoutErrorName, ExpectedMore, ExpectedUpgrade, InterfaceNotFound, InvalidParameter, MethodNotFound, MethodNotImplemented, VarlinkError } from "../errors.js";
import { interfaceOf, memberOf } from "../protocol/messages.js";
import { Context, type ContextHost, type ReceivedCall } from "./call-context.js";
import { sendError, sendReply, streamReplies, type ReplySink } from "./replies.js";
import type { MethodImplementation } from "./types.js";

// One call from its arrival to its replies: find the method, check the call against its modes
// and parameters, run the handler, and send what it returns or yields.

/** The method table entry for `org.example.Interface` + `Method`, or why there is none. */
export type Resolve = (interfaceName: string, method: string) => MethodImplementation | "no-interface" | "no-method";

/** Runs one call; returns a promise only when it could not finish synchronously. */
export function dispatch(call: ReceivedCall, resolve: Resolve, sink: ReplySink, host: ContextHost, callTimeout?: number): Promise<void> | undefined {
  const method = call.method;
  const interfaceName = interfaceOf(method);
  const implementation = resolve(interfaceName, memberOf(method));
  if (implementation === "no-interface") return sendError(sink, call, new InterfaceNotFound({ interface: interfaceName || method }));
  if (implementation === "no-method") return sendError(sink, call, new MethodNotFound({ method }));
  const handler = implementation.handler;
  if (handler === undefined) return sendError(sink, call, new MethodNotImplemented({ method }));
  if (implementation.more === "requires" && call.more !== true) return sendError(sink, call, new ExpectedMore());
  if (implementation.upgrade === "requires" && call.upgrade !== true) return sendError(sink, call, new ExpectedUpgrade());
  if (implementation.parameters) {
    const accepted = implementation.parameters(call.parameters);
    if (!accepted.ok) return sendError(sink, call, new InvalidParameter({ parameter: accepted.parameter }));
    call.parameters = accepted.value;
  }
  const context = new Context(call, host);
  const deadline = callTimeout !== undefined ? new Deadline(sink, call, context, callTimeout) : undefined;
  const out = deadline?.sink ?? sink;
  let result: unknown;
  try {
    result = handler(call.parameters, context);
  } catch (error) {
    context.release();
    deadline?.cancel();
    return sendError(out, call, error);
  }
  let finished: Promise<void> | undefined;
  if (isPromiseLike(result)) {
    finished = Promise.resolve(result).then(
      (value) => finish(out, call, value),
      (error: unknown) => sendError(out, call, error),
    );
  } else finished = finish(out, call, result);
  if (finished === undefined) {
    context.release();
    deadline?.cancel();
    return undefined;
  }
  void finished.finally(context.release);
  return deadline !== undefined ? deadline.race(finished) : finished;
}

/**
 * A call's time limit (the server's `callTimeout`). When it passes first, the handler's signal
 * fires, the client gets the error `org.varlinkts.CallTimedOut`, and whatever the handler does
 * afterwards is dropped: the connection goes on with the next call.
 */
class Deadline {
  private expired = false;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private readonly over: Promise<void>;
  readonly sink: ReplySink;

  constructor(outer: ReplySink, call: ReceivedCall, context: Context, ms: number) {
    const deadline = this;
    this.sink = {
      write: (message) => {
        if (!deadline.expired) outer.write(message);
      },
      get disconnected() {
        return deadline.expired || outer.disconnected;
      },
      get upgraded() {
        return outer.upgraded;
      },
      drained: () => outer.drained(),
      logger: outer.logger,
    };
    this.over = new Promise((resolve) => {
      this.timer = setTimeout(() => {
        context.expire(new Error(`the call ran longer than ${ms} ms`));
        sendError(outer, call, new VarlinkError(callTimeoutErrorName, { timeout: ms }));
        this.expired = true;
        resolve();
      }, ms);
    });
  }

  cancel(): void {
    clearTimeout(this.timer);
  }

  /** Settles when the call finishes or its time is up, whichever comes first. */
  race(work: Promise<void>): Promise<void> {
    return Promise.race([work.finally(() => this.cancel()), this.over]);
  }
}

/** Sends what a handler returned: a reply, or the replies of a generator. */
function finish(sink: ReplySink, call: ReceivedCall, value: unknown): Promise<void> | undefined {
  if (sink.upgraded) return undefined;
  if (isAsyncIterable(value)) return streamReplies(sink, call, value[Symbol.asyncIterator]());
  if (isGenerator(value)) return streamReplies(sink, call, toAsync(value));
  if (call.oneway !== true) sendReply(sink, value, false);
  return undefined;
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
