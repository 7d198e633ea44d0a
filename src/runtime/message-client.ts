import type { CallOptions } from "./client.js";
import type { VarlinkConnection } from "./connection.js";
import { watchCall } from "./call-timer.js";
import { ConnectionError, ErrorRegistry, ProtocolError, type ErrorFactory, type Parameters } from "./errors.js";
import { buildCall, checkReply } from "./protocol/messages.js";
import { ReplyStream } from "./reply-stream.js";

// A varlink client over a channel that carries whole messages (a WebSocket): the same
// pipelining as over a socket, replies matched to calls in order. Browser-safe.

/** Whole messages both ways: one varlink message per send, one per onMessage. */
export interface MessageChannel {
  send(text: string): void;
  close(): void;
  /** Called once, by the client, with what to do on each message and when the channel closes. */
  listen(onMessage: (text: string) => void, onClose: (reason: string) => void): void;
}

type Pending =
  | { kind: "reply"; resolve: (p: Parameters) => void; reject: (e: Error) => void; settled: boolean; cleanup: () => void }
  | { kind: "more"; stream: ReplyStream; cleanup: () => void };

export class MessageClient implements VarlinkConnection {
  private readonly pending: Pending[] = [];
  private readonly errors = new ErrorRegistry();
  private failure: Error | undefined;
  private readonly closedPromise: Promise<void>;
  private resolveClosed: () => void = () => {};

  constructor(private readonly channel: MessageChannel) {
    this.closedPromise = new Promise((resolve) => (this.resolveClosed = resolve));
    channel.listen(
      (text) => this.receive(text),
      (reason) => {
        this.fail(new ConnectionError(`the connection was closed: ${reason}`));
        this.resolveClosed();
      },
    );
  }

  registerError(name: string, factory: ErrorFactory): this {
    this.errors.register(name, factory);
    return this;
  }

  get closed(): Promise<void> {
    return this.closedPromise;
  }

  call<T = Parameters>(method: string, parameters?: object, options: CallOptions = {}): Promise<T> {
    return new Promise<Parameters>((resolve, reject) => {
      const entry: Pending = { kind: "reply", resolve, reject, settled: false, cleanup: () => {} };
      if (!this.send(method, parameters, undefined, entry, reject)) return;
      entry.cleanup = watchCall(options, (error) => {
        entry.settled = true;
        reject(error);
      });
    }) as Promise<T>;
  }

  more<T = Parameters>(method: string, parameters?: object, options: CallOptions = {}): AsyncIterableIterator<T> {
    // Messages arrive whole and cannot be paused, so the stream never asks to stop reading.
    const stream = new ReplyStream(Number.POSITIVE_INFINITY, () => {}, () => this.fail(new ConnectionError("the connection was closed to end an abandoned 'more' call")));
    const entry: Pending = { kind: "more", stream, cleanup: () => {} };
    if (this.send(method, parameters, "more", entry, (error) => stream.fail(error))) {
      entry.cleanup = watchCall(options, (error) => {
        stream.fail(error);
        this.fail(new ConnectionError("the connection was closed to end an aborted 'more' call"));
      });
    }
    return stream as unknown as AsyncIterableIterator<T>;
  }

  async oneway(method: string, parameters?: object): Promise<void> {
    if (this.failure) throw this.failure;
    this.channel.send(JSON.stringify(buildCall(method, parameters as Parameters, "oneway")));
  }

  close(): Promise<void> {
    this.fail(new ConnectionError("the client closed the connection"));
    return this.closedPromise;
  }

  private send(method: string, parameters: object | undefined, flag: "more" | undefined, entry: Pending, reject: (e: Error) => void): boolean {
    if (this.failure) {
      reject(this.failure);
      return false;
    }
    this.pending.push(entry);
    this.channel.send(JSON.stringify(buildCall(method, parameters as Parameters, flag)));
    return true;
  }

  private receive(text: string): void {
    if (this.failure) return;
    try {
      // A sender may keep the protocol's NUL terminator; it is not part of the JSON.
      const checked = checkReply(JSON.parse(text.endsWith("\0") ? text.slice(0, -1) : text));
      if (!checked.ok) throw new ProtocolError(checked.reason);
      const reply = checked.value;
      const head = this.pending[0];
      if (head === undefined) throw new ProtocolError("a reply arrived for no call");
      const last = reply.error != null || reply.continues !== true;
      if (last) {
        this.pending.shift();
        head.cleanup();
      }
      if (head.kind === "more") {
        if (reply.error != null) head.stream.fail(this.errors.create(reply.error, reply.parameters));
        else {
          head.stream.push(reply.parameters);
          if (last) head.stream.end();
        }
        return;
      }
      if (!last) throw new ProtocolError("'continues' in the reply to a call without 'more'");
      if (head.settled) return;
      if (reply.error != null) head.reject(this.errors.create(reply.error, reply.parameters));
      else head.resolve(reply.parameters);
    } catch (error) {
      const why = error instanceof Error ? error.message : String(error);
      this.fail(new ConnectionError(`protocol error from the service: ${why}`, { cause: error }));
    }
  }

  private fail(error: Error): void {
    const first = this.failure === undefined;
    this.failure ??= error;
    for (const entry of this.pending.splice(0)) {
      entry.cleanup();
      if (entry.kind === "more") entry.stream.fail(this.failure);
      else if (!entry.settled) entry.reject(this.failure);
    }
    if (first) this.channel.close();
  }
}
