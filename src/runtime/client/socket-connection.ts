import type { Duplex } from "node:stream";
import type net from "node:net";
import { ConnectionError, ProtocolError } from "../protocol/errors.js";
import type { CallOptions, MessageParameters, UpgradeResult, VarlinkConnection } from "../protocol/call-types.js";
import { encodeMessage } from "../protocol/encoding.js";
import { defaultMaxMessageSize, MessageReader } from "../protocol/framing.js";
import { buildCall, checkReply } from "../protocol/messages.js";
import { timedOutConnection, watchCall } from "../protocol/call-timer.js";
import { PendingCalls, type PendingCall, type PendingUpgrade } from "./pending-calls.js";
import { ReplyStream } from "./reply-stream.js";
import { TurnWriter } from "./turn-writer.js";
import { spawnCommand } from "../transports/command.js";
import { openTransport, type Transport } from "../transports/connect.js";
import type { ExecSocket } from "../transports/exec.js";
import { FdAssigner } from "../fds/fd-assigner.js";
import { isFdStream, type FdPassing, type FdStream } from "../fds/fd-stream.js";
import { attachReceived, fdsOf, maxFdsPerMessage } from "../fds/carry.js";
import type { ReceivedFds } from "../fds/message-fds.js";

declare module "../protocol/call-types.js" {
  /** In Node, an upgraded connection is the socket itself. */
  interface UpgradedStream extends Duplex {}
}

/** How SocketConnection.connect opens and bounds a connection. */
export interface SocketConnectionOptions {
  /** Largest reply accepted; a larger one closes the connection. Default 16 MiB. */
  maxMessageSize?: number;
  /** Replies a `more` stream may hold unread before the client stops reading. Default 1024. */
  highWaterMark?: number;
  /**
   * For `exec:`: hand the server one end of a socketpair, as varlinkctl does (default), or a
   * listening socket, as libvarlink does, for servers that only accept that (varlink/go).
   */
  execSocket?: ExecSocket;
  /**
   * Unix sockets that pass file descriptors: `unixFds` from @varlink-ts/unix-fds. Calls may then
   * carry fds (`{ fds }`), and replies' fds are found with `fdsOf(reply)`.
   */
  fdPassing?: FdPassing;
}

/**
 * A connection to a varlink service over a socket (unix, tcp, exec:) or any byte stream. Calls
 * may be pipelined: they are sent at once and their replies matched in order; a `more` call
 * holds the line until its last reply.
 */
export class SocketConnection implements VarlinkConnection, AsyncDisposable {
  private readonly reader: MessageReader;
  private readonly maxMessageSize: number;
  private readonly highWaterMark: number;
  private readonly pending: PendingCalls;
  private failure: Error | undefined;
  private upgrading = false;
  /** The socket is the upgraded stream's: close() still ends it (and the server process of exec:). */
  private handedOver = false;
  private readonly closedPromise: Promise<void>;
  private resolveClosed: () => void = () => {};
  /** The stream, when it passes fds; and which reply the fds it reads belong to. */
  private readonly fdStream: FdStream | undefined;
  private readonly fdAssigner: FdAssigner | undefined;
  /** Batches the calls of a turn into one write; the add-on's sockets batch their writes themselves. */
  private readonly writer: TurnWriter | undefined;

  /** Connects to `unix:`, `tcp:`, `exec:`, `ssh-exec:` and `ssh-unix:` addresses, and to socket or program paths. */
  static async connect(
    address: string,
    options: SocketConnectionOptions & { signal?: AbortSignal } = {},
  ): Promise<SocketConnection> {
    return new SocketConnection(
      await openTransport(address, options.signal, options.execSocket, options.fdPassing),
      options,
    );
  }

  /**
   * Starts `command` and speaks varlink on its stdin and stdout, as varlink's `--bridge` does
   * (`ssh host varlink-ts bridge stdio`, say). The process ends with the connection.
   */
  static async overCommand(
    command: string,
    args: readonly string[] = [],
    options: SocketConnectionOptions = {},
  ): Promise<SocketConnection> {
    const { stream, process } = await spawnCommand(command, args);
    return new SocketConnection({ socket: stream as net.Socket, server: process }, options);
  }

  /** Wraps an already connected stream (a socket, or a pair of pipes via Duplex.from). */
  static fromStream(stream: Duplex, options: SocketConnectionOptions = {}): SocketConnection {
    return new SocketConnection({ socket: stream as net.Socket, server: undefined }, options);
  }

  private constructor(
    private readonly transport: Transport,
    options: SocketConnectionOptions,
  ) {
    this.maxMessageSize = options.maxMessageSize ?? defaultMaxMessageSize;
    this.reader = new MessageReader(this.maxMessageSize);
    this.pending = new PendingCalls();
    this.highWaterMark = options.highWaterMark ?? 1024;
    this.closedPromise = new Promise((resolve) => (this.resolveClosed = resolve));
    const socket = transport.socket;
    this.fdStream = isFdStream(socket) ? socket : undefined;
    this.writer = this.fdStream === undefined ? new TurnWriter(socket) : undefined;
    this.fdAssigner = this.fdStream === undefined ? undefined : new FdAssigner(() => {});
    socket.on("data", this.onData);
    socket.on("error", this.onError);
    socket.on("close", this.onClose);
    socket.on("end", this.onEnd);
    void transport.server?.exited.then((how) => this.fail(new ConnectionError(`the server process ${how}`)));
  }

  private readonly onError = (error: NodeJS.ErrnoException): void =>
    this.failWithCause(new ConnectionError(`connection failed: ${error.code ?? error.message}`, { cause: error }));

  private readonly onClose = (): void => this.failWithCause(new ConnectionError("the connection was closed"));

  /**
   * When a process this client started (exec:, ssh, --bridge) dies, its stream fails a moment
   * before the exit is known; the exit says more, so it is awaited briefly and preferred.
   */
  private failWithCause(error: ConnectionError): void {
    const server = this.transport.server;
    if (server === undefined || this.failure !== undefined) return this.fail(error);
    void server.endedWithin(200).then((how) => {
      if (how !== undefined) return this.fail(new ConnectionError(`the server process ${how}`, { cause: error }));
      // Still running (ssh forwarding a socket): what it said last is the reason, if anything.
      const said = server.said?.();
      this.fail(said !== undefined ? new ConnectionError(`the connection ended: ${said}`, { cause: error }) : error);
    });
  }

  private readonly onEnd = (): void => {
    if (this.pending.length > 0)
      this.failWithCause(new ConnectionError("the service closed the connection with calls pending"));
  };

  /** Resolves when the connection has closed, for whatever reason. */
  get closed(): Promise<void> {
    return this.closedPromise;
  }

  /** Calls `method` and resolves to its reply parameters. */
  call(method: string, parameters?: object, options?: CallOptions): Promise<MessageParameters> {
    return new Promise<MessageParameters>((resolve, reject) => {
      const entry: PendingCall = { kind: "reply", resolve, reject, abandoned: false };
      if (!this.send(method, parameters, undefined, entry, reject, options?.fds)) return;
      if (watched(options))
        this.watch(entry, options, (error, timedOut) => {
          entry.abandoned = true;
          reject(error);
          if (timedOut) this.fail(timedOutConnection(options.timeout));
        });
    });
  }

  /** Calls `method` with `more`: an async iterable of its replies, ending after the last one. */
  more(method: string, parameters?: object, options?: CallOptions): AsyncIterableIterator<MessageParameters> {
    const stream = new ReplyStream<MessageParameters>(
      this.highWaterMark,
      (full) => (full ? this.transport.socket.pause() : this.transport.socket.resume()),
      () => this.fail(new ConnectionError("the connection was closed to end an abandoned 'more' call")),
      releaseLater,
    );
    const entry: PendingCall = { kind: "more", stream };
    if (this.send(method, parameters, "more", entry, (error) => stream.fail(error), options?.fds) && watched(options)) {
      this.watch(entry, options, (error) => {
        stream.fail(error);
        this.fail(new ConnectionError("the connection was closed to end an aborted 'more' call"));
      });
    }
    return stream;
  }

  /** Calls `method` with `oneway`: no reply comes; resolves once the call is written. */
  oneway(method: string, parameters?: object, options?: Pick<CallOptions, "fds">): Promise<void> {
    return new Promise((resolve, reject) => {
      if (!this.usable(reject) || !this.canSend(options?.fds, reject)) return;
      const message = this.encode(method, parameters, "oneway", reject);
      if (message === undefined) return;
      const written = (error?: Error | null): void =>
        error ? reject(new ConnectionError(`sending failed: ${error.message}`, { cause: error })) : resolve();
      this.writer?.flush();
      if (options?.fds !== undefined && options.fds.length > 0)
        this.fdStream!.writeWithFds(message, options.fds, written);
      else this.transport.socket.write(message, written);
    });
  }

  /** Calls `method` with `upgrade`; after the reply the raw connection belongs to the caller. */
  upgrade(method: string, parameters?: object, options?: CallOptions): Promise<UpgradeResult> {
    return new Promise<UpgradeResult>((resolve, reject) => {
      const entry: PendingCall = { kind: "upgrade", resolve, reject, abandoned: false };
      if (!this.send(method, parameters, "upgrade", entry, reject, options?.fds)) return;
      this.upgrading = true;
      if (watched(options))
        this.watch(entry, options, (error) => {
          entry.abandoned = true;
          reject(error);
          this.fail(new ConnectionError("the connection was closed: an upgrade was aborted"));
        });
    });
  }

  /** Closes the connection; pending calls fail with a ConnectionError. An upgraded stream is ended too. */
  close(): Promise<void> {
    if (this.handedOver) {
      this.transport.socket.destroy();
      return this.transport.server?.stop() ?? Promise.resolve();
    }
    // Calls made in this turn still go out first, as they did when each was written at once.
    this.writer?.flush();
    this.fail(new ConnectionError("the client closed the connection"));
    return this.closedPromise;
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }

  private usable(reject: (e: Error) => void): boolean {
    if (this.failure) {
      reject(this.failure);
      return false;
    }
    if (this.upgrading) {
      reject(new ConnectionError("the connection is being upgraded; no more varlink calls can be made on it"));
      return false;
    }
    return true;
  }

  private send(
    method: string,
    parameters: object | undefined,
    flag: "more" | "upgrade" | undefined,
    entry: PendingCall,
    reject: (e: Error) => void,
    fds?: readonly number[],
  ): boolean {
    if (!this.usable(reject) || !this.canSend(fds, reject)) return false;
    const message = this.encode(method, parameters, flag, reject);
    if (message === undefined) return false;
    this.pending.push(entry);
    if (fds !== undefined && fds.length > 0)
      this.fdStream!.writeWithFds(message, fds, (error) => this.unsent(entry, error));
    else if (this.writer !== undefined) this.writer.write(message);
    else this.transport.socket.write(message);
    return true;
  }

  /** A call whose fds could not be sent (one not open, say) fails alone; the connection goes on. */
  private unsent(entry: PendingCall, error: Error | null | undefined): void {
    // A socket that closed fails every call its own way.
    if (!error || this.transport.socket.destroyed) return;
    if (
      !this.pending.failUnsent(
        entry,
        new ConnectionError(`the call's file descriptors could not be sent: ${error.message}`, { cause: error }),
      )
    )
      return;
    if (entry.kind === "upgrade") this.upgrading = false;
  }

  /** Whether `fds` can go with a call on this connection; if not, the call fails saying why. */
  private canSend(fds: readonly number[] | undefined, reject: (e: Error) => void): boolean {
    if (fds === undefined || fds.length === 0) return true;
    if (this.fdStream === undefined) {
      reject(
        new ConnectionError(
          "this connection cannot pass file descriptors: only a unix socket opened with fdPassing (@varlink-ts/unix-fds) can",
        ),
      );
      return false;
    }
    if (fds.length > maxFdsPerMessage) {
      reject(new RangeError(`a message carries at most ${maxFdsPerMessage} file descriptors, not ${fds.length}`));
      return false;
    }
    return true;
  }

  /** The call's text, or undefined when it cannot be sent (over a limit, not JSON): the call fails alone. */
  private encode(
    method: string,
    parameters: object | undefined,
    flag: "more" | "upgrade" | "oneway" | undefined,
    reject: (e: Error) => void,
  ): string | undefined {
    try {
      return encodeMessage(buildCall(method, parameters as MessageParameters, flag), this.maxMessageSize);
    } catch (error) {
      reject(error instanceof Error ? error : new Error(String(error)));
      return undefined;
    }
  }

  /** Wires a call's signal and timeout; `abort` runs once if either fires first. */
  private watch(entry: PendingCall, options: CallOptions, abort: (error: Error, timedOut: boolean) => void): void {
    const stop = watchCall(options, abort);
    entry.cleanup = () => {
      stop();
      entry.cleanup = undefined;
    };
  }

  private readonly onData = (chunk: Buffer): void => {
    if (this.fdAssigner !== undefined)
      this.fdAssigner.chunk(chunk, this.fdStream!.takeFds(chunk), this.reader.buffered);
    try {
      this.reader.push(chunk, this.onMessage);
    } catch (error) {
      if (error instanceof ProtocolError)
        this.fail(new ConnectionError(`protocol error from the service: ${error.message}`, { cause: error }));
      else throw error;
    }
  };

  private readonly onMessage = (message: unknown): void => {
    const fds = this.fdAssigner?.next();
    if (this.failure) return fds?.close();
    const checked = checkReply(message);
    if (!checked.ok) {
      fds?.close();
      throw new ProtocolError(checked.reason);
    }
    const reply = checked.value;
    if (fds !== undefined) this.attach(reply, fds);
    // An upgrade that is refused leaves the connection speaking varlink.
    if (reply.error != null && this.pending.head?.kind === "upgrade") this.upgrading = false;
    const upgraded = this.pending.deliver(reply);
    if (upgraded !== undefined) this.handOver(upgraded.upgrade, upgraded.parameters);
  };

  /**
   * Puts a reply's fds where fdsOf finds them. What the caller does not take is closed after
   * it had the reply: a single reply's once the turn it was delivered in is over, a streamed
   * one's once the reader got it; an error reply's at once.
   */
  private attach(reply: { parameters?: unknown; error?: unknown }, fds: ReceivedFds): void {
    if (reply.error != null || this.pending.head === undefined) return fds.close();
    const parameters = (reply.parameters ??= {}) as object;
    attachReceived(parameters, fds);
    if (this.pending.head.kind !== "more") releaseLater(parameters);
  }

  /** After an upgrade reply the client stops reading; unread bytes go back to the stream. */
  private handOver(head: PendingUpgrade, parameters: MessageParameters): void {
    const socket = this.transport.socket;
    socket.pause();
    socket.off("data", this.onData).off("error", this.onError).off("close", this.onClose).off("end", this.onEnd);
    const rest = this.reader.takeRemainder();
    if (rest.length > 0) socket.unshift(rest);
    this.failure = new ConnectionError("the connection was upgraded; it carries another protocol now");
    this.handedOver = true;
    this.resolveClosed();
    if (!head.abandoned) head.resolve({ parameters, stream: socket });
  }

  /** Ends the connection for good: every pending call fails with the first reason given. */
  private fail(error: Error): void {
    this.fdAssigner?.close();
    const first = this.failure === undefined;
    if (first) this.failure = error;
    const failure = this.failure ?? error;
    this.pending.failAll(failure);
    if (!first) return;
    const socket = this.transport.socket;
    const stopServer = this.transport.server?.stop() ?? Promise.resolve();
    if (socket.closed) void stopServer.then(this.resolveClosed);
    else {
      socket.once("close", () => void stopServer.then(this.resolveClosed));
      socket.destroy();
    }
  }
}

/** Closes the fds of a reply that its receiver has not taken, once the current turn is over. */
function releaseLater(parameters: unknown): void {
  const fds = fdsOf(parameters);
  if (fds !== undefined) setImmediate(() => fds.close());
}

/** Whether a call's options ask for anything to be watched: a signal or a timeout. */
function watched(options: CallOptions | undefined): options is CallOptions {
  return options !== undefined && (options.signal !== undefined || options.timeout !== undefined);
}

/** Connects to a varlink address over a byte stream (everything but an HTTP bridge): shorthand for `SocketConnection.connect`. */
export function connect(
  address: string,
  options?: SocketConnectionOptions & { signal?: AbortSignal },
): Promise<SocketConnection> {
  return SocketConnection.connect(address, options);
}
