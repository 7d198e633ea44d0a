import { internalErrorName, VarlinkError } from "../errors.js";
import type { Parameters } from "../protocol/call-types.js";
import { encodeMessage } from "../protocol/encoding.js";
import type { ReceivedCall } from "./call-context.js";
import type { Logger } from "./types.js";

// Writing replies: single ones, error replies, and the replies of a generator for 'more' calls.

/** Where a call's replies go: the connection it came on. */
export interface ReplySink {
  write(message: string): void;
  /** The client is gone: nothing more need be produced. */
  readonly disconnected: boolean;
  /** The connection was handed over by an upgrade: no varlink reply may follow. */
  readonly upgraded: boolean;
  /** Resolves when the client has read enough of what was sent, or has gone. */
  drained(): Promise<void>;
  logger: Logger;
}

/** A reply whose wire form is computed once and sent many times (GetInfo's, say). */
export class EncodedReply {
  readonly message: string;

  constructor(readonly parameters: object) {
    this.message = encodeMessage({ parameters });
  }
}

const emptyReply = encodeMessage({ parameters: {} });
const emptyContinuingReply = encodeMessage({ parameters: {}, continues: true });

/** One reply; no parameters (a void handler) is `{}`, and a pre-encoded reply goes out as it is. */
export function sendReply(sink: ReplySink, parameters: unknown, continues: boolean): void {
  if (parameters === undefined || parameters === null) {
    sink.write(continues ? emptyContinuingReply : emptyReply);
  } else if (parameters instanceof EncodedReply) {
    sink.write(continues ? encodeMessage({ parameters: parameters.parameters, continues: true }) : parameters.message);
  } else {
    sink.write(encodeMessage(continues ? { parameters, continues: true } : { parameters }));
  }
}

/**
 * The error reply for a failed call. A VarlinkError goes out as it is; anything else is a bug in
 * the handler: it is logged, and the client learns only that the service failed.
 */
export function sendError(sink: ReplySink, call: ReceivedCall, error: unknown): undefined {
  if (!(error instanceof VarlinkError)) sink.logger(`method ${call.method} failed`, error);
  if (call.oneway === true || sink.disconnected) return undefined;
  const message =
    error instanceof VarlinkError ? { error: error.errorName, parameters: error.parameters as Parameters } : { error: internalErrorName, parameters: {} };
  sink.write(encodeMessage(message));
  return undefined;
}

/**
 * Sends a generator's values as replies. A value is held back only until the next one exists,
 * so the last carries `continues: false`. When the generator pauses (waiting for events), the
 * held value goes out at once with `continues: true`; if the generator then ends, its return
 * value is the final reply, or, when it returns nothing, an empty one (`{"parameters": {}}`):
 * the server could not know the value before the pause was the last.
 */
export async function streamReplies(sink: ReplySink, call: ReceivedCall, iterator: AsyncIterator<unknown>): Promise<void> {
  try {
    let result = await iterator.next();
    if (call.more !== true || result.done === true) {
      if (result.done !== true) await iterator.return?.();
      if (call.oneway !== true) sendReply(sink, result.value, false);
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
        if (!sink.disconnected) sendReply(sink, held, true);
        throw error;
      }
      if (sink.disconnected) {
        await iterator.return?.();
        return;
      }
      if (early?.done === true) {
        // The generator ended right after `held`: it is the last reply, unless a return value follows.
        sendReply(sink, held, early.value !== undefined);
        if (early.value !== undefined) sendReply(sink, early.value, false);
        return;
      }
      sendReply(sink, held, true);
      await sink.drained();
      result = early ?? (await next);
      if (result.done === true) {
        // Ended after a pause: `held` already went out with `continues`.
        sendReply(sink, result.value, false);
        return;
      }
      if (sink.disconnected) {
        await iterator.return?.();
        return;
      }
    }
  } catch (error) {
    sendError(sink, call, error);
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
