import { ConnectionError, ProtocolError } from "../protocol/errors.js";
import type { CallOptions, MessageParameters, VarlinkConnection } from "../protocol/call-types.js";
import { defaultMaxMessageSize, encodeJson, parseMessage } from "../protocol/encoding.js";
import { maxNestingDepth } from "../protocol/json.js";
import { buildCall, checkReply } from "../protocol/messages.js";
import { timedOutConnection, watchCall } from "../protocol/call-timer.js";
import { PendingCalls, type PendingCall } from "./pending-calls.js";
import { fdsRefusal } from "../fds/carry.js";
import { ReplyStream } from "./reply-stream.js";

// A varlink client over a channel that carries whole messages (a WebSocket): the same
// pipelining as over a socket, replies matched to calls in order. Browser-safe.

/** Whole messages both ways: one varlink message per send, one per onMessage. */
export interface MessageChannel {
  send(text: string): void;
  close(): void;
  /** Stop and go on reading, where the channel can (Node's sockets; a browser's WebSocket cannot). */
  pause?(): void;
  resume?(): void;
  /** Called once, by the client, with what to do on each message and when the channel closes. */
  listen(onMessage: (text: string) => void, onClose: (reason: string) => void): void;
}

/** Replies of a `more` call held unread before the channel stops reading, as SocketConnection's default. */
const streamHighWaterMark = 1024;

/** A varlink connection over a channel that carries whole messages (a WebSocket), rather than a byte stream. */
export class MessageConnection implements VarlinkConnection {
  private readonly pending = new PendingCalls();
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

  get closed(): Promise<void> {
    return this.closedPromise;
  }

  call(method: string, parameters?: object, options: CallOptions = {}): Promise<MessageParameters> {
    return new Promise<MessageParameters>((resolve, reject) => {
      const entry: PendingCall = { kind: "reply", resolve, reject, abandoned: false };
      const refusal = fdsRefusal(options, "a WebSocket");
      if (refusal !== undefined) return reject(refusal);
      if (!this.send(method, parameters, undefined, entry, reject)) return;
      entry.cleanup = watchCall(options, (error, timedOut) => {
        entry.abandoned = true;
        reject(error);
        if (timedOut) this.fail(timedOutConnection(options.timeout));
      });
    });
  }

  more(method: string, parameters?: object, options: CallOptions = {}): AsyncIterableIterator<MessageParameters> {
    // Where the channel can pause, replies nobody reads stop the reading as on a socket.
    const { pause, resume } = this.channel;
    const pausable = pause !== undefined && resume !== undefined;
    const stream = new ReplyStream(
      pausable ? streamHighWaterMark : Number.POSITIVE_INFINITY,
      (full) => (full ? pause?.() : resume?.()),
      () => this.fail(new ConnectionError("the connection was closed to end an abandoned 'more' call")),
    );
    const entry: PendingCall = { kind: "more", stream };
    const refusal = fdsRefusal(options, "a WebSocket");
    if (refusal !== undefined) stream.fail(refusal);
    else if (this.send(method, parameters, "more", entry, (error) => stream.fail(error))) {
      entry.cleanup = watchCall(options, (error) => {
        stream.fail(error);
        this.fail(new ConnectionError("the connection was closed to end an aborted 'more' call"));
      });
    }
    return stream;
  }

  async oneway(method: string, parameters?: object): Promise<void> {
    if (this.failure) throw this.failure;
    this.channel.send(encodeCall(method, parameters, "oneway"));
  }

  close(): Promise<void> {
    this.fail(new ConnectionError("the client closed the connection"));
    return this.closedPromise;
  }

  private send(
    method: string,
    parameters: object | undefined,
    flag: "more" | undefined,
    entry: PendingCall,
    reject: (e: Error) => void,
  ): boolean {
    if (this.failure) {
      reject(this.failure);
      return false;
    }
    let text: string;
    try {
      text = encodeCall(method, parameters, flag);
    } catch (error) {
      reject(error instanceof Error ? error : new Error(String(error)));
      return false;
    }
    this.pending.push(entry);
    this.channel.send(text);
    return true;
  }

  private receive(text: string): void {
    if (this.failure) return;
    try {
      // A sender may keep the protocol's NUL terminator; it is not part of the JSON.
      const checked = checkReply(parseMessage(text.endsWith("\0") ? text.slice(0, -1) : text));
      if (!checked.ok) throw new ProtocolError(checked.reason);
      // No upgrade is ever sent over a message channel, so nothing is handed over.
      this.pending.deliver(checked.value);
    } catch (error) {
      const why = error instanceof Error ? error.message : String(error);
      this.fail(new ConnectionError(`protocol error from the service: ${why}`, { cause: error }));
    }
  }

  private fail(error: Error): void {
    const first = this.failure === undefined;
    this.failure ??= error;
    this.pending.failAll(this.failure);
    if (first) this.channel.close();
  }
}

/** A call as one WebSocket message: its JSON without the NUL, within the limits a peer keeps. */
function encodeCall(method: string, parameters: object | undefined, flag: "more" | "oneway" | undefined): string {
  return encodeJson(buildCall(method, parameters as MessageParameters, flag), defaultMaxMessageSize, maxNestingDepth);
}
