import { Socket } from "node:net";
import type { Duplex } from "node:stream";
import {
  CallTimedOut,
  CallTooDeep,
  ProtocolError,
  ShuttingDown,
  type NestingTooDeepError,
  type VarlinkError,
} from "../protocol/errors.js";
import type { MessageParameters } from "../protocol/call-types.js";
import { encodeMessage } from "../protocol/encoding.js";
import { MessageReader } from "../protocol/framing.js";
import { checkCall } from "../protocol/messages.js";
import type { ContextHost, ReceivedCall } from "./call-context.js";
import { dispatch } from "./dispatch.js";
import type { ServerNext } from "../interceptors/server.js";
import type { ReplySink } from "./replies.js";
import type { RunningCall } from "./running-call.js";
import type { Logger } from "./types.js";
import { FdAssigner } from "../fds/fd-assigner.js";
import { isFdStream, type FdStream, type PeerCredentials } from "../fds/fd-stream.js";
import { closeQuietly } from "../fds/message-fds.js";

// One client connection's socket: reading calls, queueing them, and answering them strictly in
// order, with backpressure both ways. What a call does is dispatch's business.

/** What a connection needs from its server. */
export interface ConnectionHost {
  maxMessageSize: number;
  maxQueuedCalls: number;
  /** Milliseconds a call may run (ServerOptions.callTimeout). */
  callTimeout?: number | undefined;
  /** Milliseconds a connection may sit idle (ServerOptions.idleTimeout). */
  idleTimeout?: number | undefined;
  logger: Logger;
  /** Every call's way in: the server's interceptors around resolving and running it (resolveAndRun itself without any). */
  next: ServerNext;
  connectionClosed(connection: ServerConnection): void;
}

/**
 * Calls are read as they come, queued, and answered strictly in order. Reading stops while too
 * many calls wait or while the client does not read its replies.
 */
export class ServerConnection implements ReplySink, ContextHost {
  private readonly reader: MessageReader;
  private readonly queue: ReceivedCall[] = [];
  /** The call whose handler is at work, if it did not finish at once (one at a time: replies go in order). */
  private current: RunningCall | undefined;
  /** The server is closing: running handlers are told to stop, streams are ended. */
  private stopping = false;
  private busy = false;
  private paused = false;
  private ended = false;
  private closing = false;
  private idleTimer: ReturnType<typeof setTimeout> | undefined;
  upgraded = false;
  readonly logger: Logger;
  readonly maxMessageSize: number;
  /** The stream, when it passes fds; and which message the fds it reads belong to. */
  private readonly fdStream: FdStream | undefined;
  private readonly fdAssigner: FdAssigner | undefined;

  constructor(
    private readonly host: ConnectionHost,
    readonly stream: Duplex,
  ) {
    this.logger = host.logger;
    this.fdStream = isFdStream(stream) ? stream : undefined;
    this.fdAssigner = this.fdStream === undefined ? undefined : new FdAssigner(host.logger);
    this.maxMessageSize = host.maxMessageSize;
    this.reader = new MessageReader(host.maxMessageSize);
    stream.on("data", this.onData);
    stream.on("error", (error: NodeJS.ErrnoException) => {
      // A reset is a client leaving; fds that did not fit are worth a line in the log.
      if (error.code === "EMSGCTRUNC") this.logger(`closing a connection: ${error.message}`);
      this.destroy();
    });
    stream.on("close", this.onClose);
    // As sd-varlink: a client that ends its side (a half-close) still gets the answers to the
    // calls it sent, then the connection ends; a client gone both ways cancels them at once
    // (closing is how a varlink client cancels its calls). See halfCloses for Node's sockets.
    const probe = halfCloses(stream);
    stream.on("end", () => {
      this.closing = true;
      probe?.();
      this.endIfIdle();
    });
    stream.on("hangup", () => this.destroy());
    this.armIdleTimer();
  }

  /**
   * With an idle timeout, a connection that runs no call and sends no complete call for that long
   * is closed. Bytes that never finish a message do not count: a client that trickles one byte at
   * a time is as idle as a silent one.
   */
  private armIdleTimer(): void {
    const timeout = this.host.idleTimeout;
    if (timeout === undefined || this.ended || this.upgraded) return;
    clearTimeout(this.idleTimer);
    this.idleTimer = setTimeout(() => {
      if (!this.idle || this.ended || this.upgraded) return;
      this.logger(`closing a connection idle for ${timeout} ms`);
      this.closing = true;
      this.endIfIdle();
    }, timeout);
    this.idleTimer.unref?.();
  }

  get idle(): boolean {
    return !this.busy && this.queue.length === 0;
  }

  get disconnected(): boolean {
    return this.ended;
  }

  /**
   * Graceful shutdown: the running handler is told to stop (a stream ends at once with
   * org.varlinkts.ShuttingDown), the calls already received are answered, then the connection
   * closes.
   */
  shutdown(): void {
    this.closing = true;
    this.stopping = true;
    if (this.current !== undefined) this.stopForShutdown(this.current);
    this.endIfIdle();
  }

  private stopForShutdown(running: RunningCall): void {
    const reason = new Error("the server is shutting down");
    const error = new ShuttingDown();
    if (running.call.more === true) running.end(error, reason);
    else running.stop(reason, error);
  }

  destroy(): void {
    if (!this.stream.destroyed) this.stream.destroy();
  }

  get passesFds(): boolean {
    return this.fdStream !== undefined;
  }

  get peer(): PeerCredentials | undefined {
    return this.fdStream?.peer;
  }

  private readonly onClose = (): void => {
    if (this.ended) return;
    this.ended = true;
    clearTimeout(this.idleTimer);
    for (const call of this.queue.splice(0)) call.fds?.close();
    this.fdAssigner?.close();
    this.current?.stop(new Error("the client disconnected"));
    this.host.connectionClosed(this);
  };

  private readonly onData = (chunk: Buffer): void => {
    if (this.upgraded) return;
    if (this.fdAssigner !== undefined)
      this.fdAssigner.chunk(chunk, this.fdStream!.takeFds(chunk), this.reader.buffered);
    try {
      this.reader.push(chunk, this.onMessage, this.onTooDeep);
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

  private readonly onMessage = (message: unknown): void => this.receive(message);

  private receive(message: unknown, refusal?: VarlinkError): void {
    const fds = this.fdAssigner?.next();
    if (this.ended || this.upgraded) return fds?.close();
    const checked = checkCall(message);
    if (!checked.ok) {
      fds?.close();
      throw new ProtocolError(checked.reason);
    }
    if (fds !== undefined) checked.value.fds = fds;
    clearTimeout(this.idleTimer);
    if (refusal !== undefined) checked.value.refusal = refusal;
    this.queue.push(checked.value);
    // Nothing after an upgrade call is read as varlink until the call is settled.
    if (checked.value.upgrade === true) this.reader.hold();
    if (this.queue.length >= this.host.maxQueuedCalls && !this.paused) {
      this.paused = true;
      this.stream.pause();
    }
  }

  /**
   * A call too deep to read is still a call: it is answered in its turn with
   * org.varlinkts.CallTooDeep, and the connection goes on. Only its method and flags are read.
   */
  private readonly onTooDeep = (error: NestingTooDeepError): void => {
    const value = error.value;
    const header =
      typeof value === "object" && value !== null && !Array.isArray(value)
        ? (value as Record<string, unknown>)
        : undefined;
    const { method, oneway, more, upgrade } = header ?? {};
    this.receive({ method, oneway, more, upgrade }, new CallTooDeep({ limit: error.limit }));
  };

  /**
   * A client that breaks the protocol is cut off: nothing more is read from it, the calls it
   * sent before the violation are still answered, then the connection closes.
   */
  private violation(reason: string): void {
    this.logger(`closing a connection that broke the protocol: ${reason}`);
    this.stream.off("data", this.onData);
    this.stream.pause();
    this.closing = true;
  }

  /**
   * Answers queued calls in order until one has to wait. `answered` says a call has just
   * finished, which restarts the idle timeout; bytes that complete no call do not.
   */
  private pump(answered = false): void {
    while (!this.busy && !this.ended && !this.upgraded && this.queue.length > 0) {
      if (this.stream.writableNeedDrain) {
        this.busy = true;
        this.stream.once("drain", this.afterAsyncCall);
        return;
      }
      const call = this.queue.shift()!;
      const running = dispatch(call, this.host.next, this, this);
      answered = true;
      // The fds the handler did not take are closed once the call is answered.
      if (call.fds !== undefined) {
        if (running === undefined) call.fds.close();
        else void running.done.then(() => call.fds!.close());
      }
      if (running !== undefined) {
        this.busy = true;
        this.current = running;
        if (this.host.callTimeout !== undefined)
          running.limit(this.host.callTimeout, new CallTimedOut({ timeout: this.host.callTimeout }));
        if (this.stopping) this.stopForShutdown(running);
        void running.done.then(this.afterAsyncCall);
        return;
      }
    }
    if (!this.busy && this.queue.length === 0 && this.reader.holding && !this.upgraded && !this.ended)
      return this.readHeld(answered);
    if (this.paused && this.queue.length < this.host.maxQueuedCalls / 2 && !this.ended) {
      this.paused = false;
      this.stream.resume();
    }
    if (answered && this.idle) this.armIdleTimer();
    this.endIfIdle();
  }

  /** An upgrade call answered without an upgrade: what its client sent after it is read now. */
  private readHeld(answered: boolean): void {
    try {
      this.reader.release(this.onMessage, this.onTooDeep);
    } catch (error) {
      this.violation(error instanceof ProtocolError ? error.message : String(error));
    }
    this.pump(answered);
  }

  private readonly afterAsyncCall = (): void => {
    this.busy = false;
    this.current = undefined;
    if (!this.ended && !this.upgraded) this.pump(true);
  };

  /** Once closing and idle: flush what was written, then close for good (no half-open linger). */
  private endIfIdle(): void {
    if (this.closing && this.idle && !this.ended && !this.upgraded && !this.stream.writableEnded) {
      this.stream.end(() => this.destroy());
    }
  }

  write(message: string | Uint8Array, fds?: readonly number[]): void {
    if (this.ended || this.upgraded || this.stream.destroyed) {
      for (const fd of fds ?? []) closeQuietly(fd);
      return;
    }
    if (fds === undefined || fds.length === 0) return void this.stream.write(message);
    // The reply owns its fds: they are closed once written, or once the write failed. A reply
    // whose fds cannot be sent (one is not open) would leave its client waiting: it is cut off.
    const data =
      typeof message === "string" || Buffer.isBuffer(message)
        ? message
        : Buffer.from(message.buffer, message.byteOffset, message.byteLength);
    this.fdStream!.writeWithFds(data, fds, (error) => {
      for (const fd of fds) closeQuietly(fd);
      if (error) {
        this.logger(`closing a connection: a reply's file descriptors could not be sent: ${error.message}`);
        this.destroy();
      }
    });
  }

  drained(): Promise<void> {
    if (!this.stream.writableNeedDrain || this.ended) return Promise.resolve();
    return new Promise((resolve) => {
      const done = (): void => {
        this.stream.off("drain", done).off("close", done);
        resolve();
      };
      this.stream.on("drain", done).on("close", done);
    });
  }

  upgradeConnection(call: ReceivedCall, parameters: MessageParameters): Duplex {
    if (call.upgrade !== true) throw new Error("upgradeConnection() is only for calls made with 'upgrade'");
    if (this.upgraded) throw new Error("the connection was already upgraded");
    this.write(encodeMessage({ parameters }));
    this.upgraded = true;
    // The handler gets the socket as it was before halfCloses made it half-open.
    if (this.stream instanceof Socket) this.stream.allowHalfOpen = false;
    clearTimeout(this.idleTimer);
    this.queue.length = 0;
    this.stream.pause();
    this.stream.off("data", this.onData);
    const rest = this.reader.takeRemainder();
    if (rest.length > 0) this.stream.unshift(rest);
    return this.stream;
  }
}

/** How often a half-closed client on one of Node's unix sockets is asked whether it is still there. */
const probeInterval = 1000;
const nothing = Buffer.alloc(0);

/**
 * Makes one of Node's unix sockets half-open, and returns what tells, once the client ended its
 * side, whether it is gone both ways: an empty write, which fails (EPIPE, and the "error" closes
 * the connection) only on a socket whose peer closed it. Node's sockets cannot watch for POLLHUP,
 * so a client that half-closes and leaves later is noticed by the next probe (each second), or
 * by the next reply written. Other streams are left as they are (TCP cannot tell the two apart:
 * its EOF still cancels).
 */
function halfCloses(stream: Duplex): (() => void) | undefined {
  if (!(stream instanceof Socket) || stream.remoteAddress !== undefined) return undefined;
  stream.allowHalfOpen = true;
  const probe = (): void => {
    if (stream.destroyed || stream.writableEnded) return;
    // Writes waiting already find out (a full socket wakes on POLLHUP).
    if (stream.writableLength === 0) stream.write(nothing);
    setTimeout(probe, probeInterval).unref();
  };
  return probe;
}
