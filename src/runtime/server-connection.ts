import type { Duplex } from "node:stream";
import {
  ExpectedMore,
  ExpectedUpgrade,
  InterfaceNotFound,
  internalErrorName,
  InvalidParameter,
  MethodNotFound,
  MethodNotImplemented,
  ProtocolError,
  VarlinkError,
  type Parameters,
} from "./errors.js";
import { encodeMessage, MessageReader } from "./protocol/framing.js";
import { checkCall, interfaceOf, memberOf, type CallMessage } from "./protocol/messages.js";
import type { CallContext, Logger, MethodImplementation } from "./server-types.js";

/** What a connection needs from its server. */
export interface ConnectionHost {
  maxMessageSize: number;
  maxQueuedCalls: number;
  logger: Logger;
  /** The method table entry for `org.example.Interface` + `Method`, or why there is none. */
  resolve(interfaceName: string, method: string): MethodImplementation | "no-interface" | "no-method";
  connectionClosed(connection: ServerConnection): void;
}

type Call = CallMessage & { parameters: Parameters };

const emptyReply = encodeMessage({ parameters: {} });
const emptyContinuingReply = encodeMessage({ parameters: {}, continues: true });

/**
 * One client connection: calls are read as they come, queued, and answered strictly in order.
 * Reading stops while too many calls wait or while the client does not read its replies.
 */
export class ServerConnection {
  private readonly reader: MessageReader;
  private readonly queue: Call[] = [];
  /** Signals handed to running calls, aborted when the client goes. */
  private readonly callSignals = new Set<AbortController>();
  private busy = false;
  private paused = false;
  private ended = false;
  private upgraded = false;
  private closing = false;

  constructor(
    private readonly host: ConnectionHost,
    readonly stream: Duplex,
  ) {
    this.reader = new MessageReader(host.maxMessageSize);
    stream.on("data", this.onData);
    stream.on("error", () => this.destroy());
    stream.on("close", this.onClose);
    stream.on("end", () => {
      // A client may half-close after its last call: answer what it sent, then close.
      this.closing = true;
      this.endIfIdle();
    });
  }

  get idle(): boolean {
    return !this.busy && this.queue.length === 0;
  }

  /** Finish the calls already received, then close (for graceful shutdown). */
  shutdown(): void {
    this.closing = true;
    this.endIfIdle();
  }

  destroy(): void {
    if (!this.stream.destroyed) this.stream.destroy();
  }

  private readonly onClose = (): void => {
    if (this.ended) return;
    this.ended = true;
    this.queue.length = 0;
    for (const controller of this.callSignals) controller.abort(new Error("the client disconnected"));
    this.callSignals.clear();
    this.host.connectionClosed(this);
  };

  private readonly onData = (chunk: Buffer): void => {
    if (this.upgraded) return;
    try {
      this.reader.push(chunk, this.onMessage);
    } catch (error) {
      this.violation(error instanceof ProtocolError ? error.message : String(error));
    }
    if (this.ended) return;
    // Several pipelined calls in one read: their replies leave in one write.
    const batch = this.queue.length > 1;
    if (batch) this.stream.cork();
    this.pump();
    if (batch && !this.stream.destroyed) this.stream.uncork();
  };

  private readonly onMessage = (message: unknown): void => {
    if (this.ended || this.upgraded) return;
    const checked = checkCall(message);
    if (!checked.ok) throw new ProtocolError(checked.reason);
    this.queue.push(checked.value);
    if (this.queue.length >= this.host.maxQueuedCalls && !this.paused) {
      this.paused = true;
      this.stream.pause();
    }
  };

  /**
   * A client that breaks the protocol is cut off: nothing more is read from it, the calls it
   * sent before the violation are still answered, then the connection closes.
   */
  private violation(reason: string): void {
    this.host.logger(`closing a connection that broke the protocol: ${reason}`);
    this.stream.off("data", this.onData);
    this.stream.pause();
    this.closing = true;
  }

  /** Answers queued calls in order until one has to wait. */
  private pump(): void {
    while (!this.busy && !this.ended && !this.upgraded && this.queue.length > 0) {
      if (this.stream.writableNeedDrain) {
        this.waitForDrain();
        return;
      }
      const call = this.queue.shift()!;
      const running = this.dispatch(call);
      if (running !== undefined) {
        this.busy = true;
        running.then(this.afterAsyncCall, this.afterAsyncCall);
        return;
      }
    }
    if (this.paused && this.queue.length < this.host.maxQueuedCalls / 2 && !this.ended) {
      this.paused = false;
      this.stream.resume();
    }
    this.endIfIdle();
  }

  private readonly afterAsyncCall = (): void => {
    this.busy = false;
    if (!this.ended && !this.upgraded) this.pump();
  };

  private waitForDrain(): void {
    this.busy = true;
    this.stream.once("drain", this.afterAsyncCall);
  }

  /** Once closing and idle: flush what was written, then close for good (no half-open linger). */
  private endIfIdle(): void {
    if (this.closing && this.idle && !this.ended && !this.upgraded && !this.stream.writableEnded) {
      this.stream.end(() => this.destroy());
    }
  }

  /** Runs one call; returns a promise only when it could not finish synchronously. */
  private dispatch(call: Call): Promise<void> | undefined {
    const method = call.method;
    const interfaceName = interfaceOf(method);
    const implementation = this.host.resolve(interfaceName, memberOf(method));
    if (implementation === "no-interface") return this.fail(call, new InterfaceNotFound(interfaceName || method));
    if (implementation === "no-method") return this.fail(call, new MethodNotFound(method));
    const handler = implementation.handler;
    if (handler === undefined) return this.fail(call, new MethodNotImplemented(method));
    if (implementation.more === "requires" && call.more !== true) return this.fail(call, new ExpectedMore());
    if (implementation.upgrade === "requires" && call.upgrade !== true) return this.fail(call, new ExpectedUpgrade());
    if (implementation.validate) {
      const bad = implementation.validate(call.parameters);
      if (bad !== undefined) return this.fail(call, new InvalidParameter(bad));
    }
    const context = this.context(call);
    let result: unknown;
    try {
      result = handler(call.parameters, context);
    } catch (error) {
      context.release();
      return this.fail(call, error);
    }
    if (isPromiseLike(result)) {
      return Promise.resolve(result)
        .then(
          (value) => this.finish(call, value),
          (error: unknown) => this.fail(call, error),
        )
        .finally(context.release);
    }
    const finished = this.finish(call, result);
    if (finished === undefined) context.release();
    else void finished.finally(context.release);
    return finished;
  }

  private finish(call: Call, value: unknown): Promise<void> | undefined {
    if (this.upgraded) return undefined;
    if (isAsyncIterable(value)) return this.streamReplies(call, value[Symbol.asyncIterator]());
    if (isGenerator(value)) return this.streamReplies(call, toAsync(value));
    if (call.oneway !== true) this.reply(value, false);
    return undefined;
  }

  private fail(call: Call, error: unknown): undefined {
    if (!(error instanceof VarlinkError)) {
      this.host.logger(`method ${call.method} failed`, error);
    }
    if (call.oneway === true || this.ended) return undefined;
    const message =
      error instanceof VarlinkError
        ? { error: error.errorName, parameters: error.parameters as Parameters }
        : { error: internalErrorName, parameters: {} };
    this.write(encodeMessage(message));
    return undefined;
  }

  /**
   * Sends a generator's values as replies. A value is held back only until the next one exists,
   * so the last carries `continues: false`; when the generator pauses (waiting for events), the
   * held value is sent at once with `continues: true`, and if the generator then ends, its
   * return value (or an empty reply) is the final reply.
   */
  private async streamReplies(call: Call, iterator: AsyncIterator<unknown>): Promise<void> {
    try {
      let result = await iterator.next();
      if (call.more !== true || result.done === true) {
        if (result.done !== true) await iterator.return?.();
        if (call.oneway !== true) this.reply(result.value, false);
        return;
      }
      for (;;) {
        const held = result.value;
        const next = iterator.next();
        const early = await settledBeforeNextTurn(next);
        if (this.ended) {
          await iterator.return?.();
          return;
        }
        if (early?.done === true) {
          // The generator ended right after `held`: it is the last reply, unless a return value follows.
          this.reply(held, early.value !== undefined);
          if (early.value !== undefined) this.reply(early.value, false);
          return;
        }
        this.reply(held, true);
        await this.drained();
        result = early ?? (await next);
        if (result.done === true) {
          // Ended after a pause: `held` already went out with `continues`.
          this.reply(result.value, false);
          return;
        }
        if (this.ended) {
          await iterator.return?.();
          return;
        }
      }
    } catch (error) {
      this.fail(call, error);
    }
  }

  /** One reply; no parameters (a void handler) is `{}`, and a pre-encoded reply goes out as it is. */
  private reply(parameters: unknown, continues: boolean): void {
    if (parameters === undefined || parameters === null) {
      this.write(continues ? emptyContinuingReply : emptyReply);
    } else if (parameters instanceof EncodedReply) {
      this.write(continues ? encodeMessage({ parameters: parameters.parameters, continues: true }) : parameters.message);
    } else {
      this.write(encodeMessage(continues ? { parameters, continues: true } : { parameters }));
    }
  }

  private write(message: string): void {
    if (!this.ended && !this.stream.destroyed) this.stream.write(message);
  }

  /** Resolves when the client has read enough of what was sent, or has gone. */
  private drained(): Promise<void> {
    if (!this.stream.writableNeedDrain || this.ended) return Promise.resolve();
    return new Promise((resolve) => {
      const done = (): void => {
        this.stream.off("drain", done).off("close", done);
        resolve();
      };
      this.stream.on("drain", done).on("close", done);
    });
  }

  private context(call: Call): Context {
    return new Context(call, this);
  }

  /** @internal for Context */
  get disconnected(): boolean {
    return this.ended;
  }

  /** @internal for Context */
  trackSignal(controller: AbortController): void {
    this.callSignals.add(controller);
  }

  /** @internal for Context */
  untrackSignal(controller: AbortController): void {
    this.callSignals.delete(controller);
  }

  /** @internal for Context */
  upgradeConnection(call: Call, parameters: Parameters = {}): Duplex {
    if (call.upgrade !== true) throw new Error("upgradeConnection() is only for calls made with 'upgrade'");
    if (this.upgraded) throw new Error("the connection was already upgraded");
    this.write(encodeMessage({ parameters }));
    this.upgraded = true;
    this.queue.length = 0;
    this.stream.pause();
    this.stream.off("data", this.onData);
    const rest = this.reader.takeRemainder();
    if (rest.length > 0) this.stream.unshift(rest);
    return this.stream;
  }
}

/** A reply whose wire form is computed once and sent many times (GetInfo's, say). */
export class EncodedReply {
  readonly message: string;

  constructor(readonly parameters: object) {
    this.message = encodeMessage({ parameters });
  }
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

/** The promise's result if it settles before the event loop's next turn, else undefined. */
function settledBeforeNextTurn<T>(promise: Promise<T>): Promise<T | undefined> {
  return new Promise((resolve, reject) => {
    let done = false;
    const timer = setImmediate(() => {
      if (!done) {
        done = true;
        resolve(undefined);
      }
    });
    promise.then(
      (value) => {
        if (done) return;
        done = true;
        clearImmediate(timer);
        resolve(value);
      },
      (error: unknown) => {
        if (done) return;
        done = true;
        clearImmediate(timer);
        reject(error);
      },
    );
  });
}

/** The handler's view of a call. Its abort signal is made on first use, so most calls cost none. */
class Context implements CallContext {
  private controller: AbortController | undefined;

  constructor(
    readonly call: Call,
    private readonly connection: ServerConnection,
  ) {}

  get method(): string {
    return this.call.method;
  }

  get more(): boolean {
    return this.call.more === true;
  }

  get oneway(): boolean {
    return this.call.oneway === true;
  }

  get upgrade(): boolean {
    return this.call.upgrade === true;
  }

  get signal(): AbortSignal {
    if (this.controller === undefined) {
      this.controller = new AbortController();
      if (this.connection.disconnected) this.controller.abort(new Error("the client disconnected"));
      else this.connection.trackSignal(this.controller);
    }
    return this.controller.signal;
  }

  upgradeConnection(parameters?: Parameters): Duplex {
    return this.connection.upgradeConnection(this.call, parameters);
  }

  /** The call is over: its signal no longer needs to hear of a disconnect. */
  readonly release = (): void => {
    if (this.controller !== undefined) this.connection.untrackSignal(this.controller);
  };
}
