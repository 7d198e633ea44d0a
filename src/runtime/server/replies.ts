import {
  FileDescriptorsNotSupported,
  InternalError,
  isVarlinkError,
  MessageLimitError,
  ReplyTooDeep,
  ReplyTooLarge,
} from "../protocol/errors.js";
import type { MessageParameters } from "../protocol/call-types.js";
import { encodeMessage } from "../protocol/encoding.js";
import { encodeLargeMessage } from "../protocol/large-message.js";
import type { ReceivedCall } from "./call-context.js";
import type { Logger } from "./types.js";
import { closeQuietly } from "../fds/message-fds.js";
import { outgoingFds } from "../fds/carry.js";

// Writing replies: single ones, error replies, and the replies of a generator for 'more' calls.
// A reply the client could not take (over the message size limit, nested too deep, or not JSON
// at all) never goes out: the call gets an error reply instead and the connection lives on.

/** Where a call's replies go: the connection it came on. */
export interface ReplySink {
  /** Sends a message (ending in its NUL); `fds` go with it and are the sink's from then on (closed once written). */
  write(message: string | Uint8Array, fds?: readonly number[]): void;
  /** Whether the connection can pass file descriptors. */
  readonly passesFds: boolean;
  /** The client is gone: nothing more need be produced. */
  readonly disconnected: boolean;
  /** The connection was handed over by an upgrade: no varlink reply may follow. */
  readonly upgraded: boolean;
  /** Resolves when the client has read enough of what was sent, or has gone. */
  drained(): Promise<void>;
  /** Largest message the peer takes: larger replies are refused before they are sent. */
  readonly maxMessageSize: number;
  logger: Logger;
}

const continuesSuffix = ',"continues":true}\0';

/** `{"parameters": …}` as the last reply, or with `continues`: the same text with the flag added. */
function withContinues(message: string): string {
  return message.slice(0, -2) + continuesSuffix;
}

/** A reply whose wire form is computed once and sent many times (GetInfo's, say). */
export class EncodedReply {
  readonly message: string;

  constructor(readonly parameters: object) {
    this.message = encodeMessage({ parameters });
  }
}

const emptyReply = encodeMessage({ parameters: {} });
const emptyContinuingReply = withContinues(emptyReply);

/** A reply as sent: no parameters (a void handler) is `{}`, and a pre-encoded reply is used as it is. */
function encodeReply(parameters: unknown, continues: boolean, maxSize: number): string | Uint8Array {
  if (parameters === undefined || parameters === null) return continues ? emptyContinuingReply : emptyReply;
  if (parameters instanceof EncodedReply) return continues ? withContinues(parameters.message) : parameters.message;
  const message = continues ? { parameters, continues } : { parameters };
  return encodeLargeMessage(message, maxSize) ?? encodeMessage(message, maxSize);
}

/**
 * Sends one reply. When it cannot be sent, the call gets the error reply that says why, and
 * the result is false: a stream must end there.
 */
export function sendReply(sink: ReplySink, call: ReceivedCall, parameters: unknown, continues: boolean): boolean {
  const fds = outgoingFds(parameters);
  if (fds !== undefined && fds.length > 0 && !sink.passesFds) {
    for (const fd of fds) closeQuietly(fd);
    sink.logger(`method ${call.method} replied with file descriptors, which this connection cannot pass`);
    sendError(sink, call, new FileDescriptorsNotSupported());
    return false;
  }
  let message: string | Uint8Array;
  try {
    message = encodeReply(parameters, continues, sink.maxMessageSize);
  } catch (error) {
    for (const fd of fds ?? []) closeQuietly(fd);
    sendError(sink, call, unsendable(sink, call, error));
    return false;
  }
  sink.write(message, fds);
  return true;
}

/** Why a reply could not be sent, as the error reply the client gets instead. */
function unsendable(sink: ReplySink, call: ReceivedCall, error: unknown): unknown {
  if (!(error instanceof MessageLimitError)) return error;
  sink.logger(`method ${call.method} made a reply it cannot send: ${error.message}`);
  return error.limit.kind === "size"
    ? new ReplyTooLarge({ size: error.limit.size, limit: error.limit.max })
    : new ReplyTooDeep({ limit: error.limit.max });
}

const internalError = encodeMessage({ error: InternalError.errorName, parameters: {} });

/**
 * The error reply for a failed call. A VarlinkError goes out as it is; anything else is a bug in
 * the handler: it is logged, and the client learns only that the service failed. So is a
 * VarlinkError whose parameters cannot be sent. Whatever was thrown, this never throws.
 */
export function sendError(sink: ReplySink, call: ReceivedCall, error: unknown): undefined {
  const declared = isVarlinkError(error);
  if (!declared) log(sink, `method ${call.method} failed`, error);
  if (call.oneway === true || sink.disconnected) return undefined;
  if (!declared) return void sink.write(internalError);
  let message: string;
  try {
    message = encodeMessage(
      { error: error.errorName, parameters: error.parameters as MessageParameters },
      sink.maxMessageSize,
    );
  } catch (failure) {
    log(sink, `method ${call.method} failed with an error whose name or parameters cannot be sent`, failure);
    message = internalError;
  }
  sink.write(message);
  return undefined;
}

/** Logs a handler's failure; a logger that cannot show what was thrown must not cost the call its answer. */
function log(sink: ReplySink, message: string, error: unknown): void {
  try {
    sink.logger(message, error);
  } catch {
    // Nothing better to do with it: the call is answered all the same.
  }
}

/**
 * Sends a generator's values as replies. A value is held back only until the next one exists,
 * so the last carries `continues: false`. When the generator pauses (waiting for events), the
 * held value goes out at once with `continues: true`; if the generator then ends, its return
 * value is the final reply, or, when it returns nothing, an empty one (`{"parameters": {}}`):
 * the server could not know the value before the pause was the last. A generator that throws
 * rejects the returned promise, after the value it yielded last went out.
 */
export async function streamReplies(
  sink: ReplySink,
  call: ReceivedCall,
  iterator: AsyncIterator<unknown>,
): Promise<void> {
  let result = await iterator.next();
  if (call.more !== true || result.done === true) {
    if (result.done !== true) await iterator.return?.();
    if (call.oneway !== true) sendReply(sink, call, result.value, false);
    return;
  }
  for (;;) {
    const held = result.value;
    const next = iterator.next();
    let early: IteratorResult<unknown> | undefined;
    try {
      early = await settledBeforeNextTurn(next);
    } catch (error) {
      // The generator failed right after `held`: it still goes out, then the error ends the call.
      if (!sink.disconnected && !sendReply(sink, call, held, true)) return;
      throw error;
    }
    if (sink.disconnected) {
      await iterator.return?.();
      return;
    }
    if (early?.done === true) {
      // The generator ended right after `held`: it is the last reply, unless a return value follows.
      if (sendReply(sink, call, held, early.value !== undefined) && early.value !== undefined)
        sendReply(sink, call, early.value, false);
      return;
    }
    if (!sendReply(sink, call, held, true)) {
      // The call is over; the generator is told so once its pending step is done.
      void next.then(() => iterator.return?.()).catch(() => {});
      return;
    }
    await sink.drained();
    result = early ?? (await next);
    if (result.done === true) {
      // Ended after a pause: `held` already went out with `continues`.
      sendReply(sink, call, result.value, false);
      return;
    }
    if (sink.disconnected) {
      await iterator.return?.();
      return;
    }
  }
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
