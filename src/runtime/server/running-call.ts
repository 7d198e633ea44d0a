import { isVarlinkError, type VarlinkError } from "../protocol/errors.js";
import type { Context, ReceivedCall } from "./call-context.js";
import { sendError, type ReplySink } from "./replies.js";
import { closeQuietly } from "../fds/message-fds.js";

// A call whose handler did not finish at once, as its connection sees it. It can be told to stop
// (the handler's signal fires; it decides what to answer) or be ended (the signal fires, an error
// is the call's last reply, and whatever the handler sends afterwards is dropped): by its time
// limit, by the client leaving, or by the server closing.

export class RunningCall {
  /** Replies go through here, so that nothing gets out once the call was ended. */
  readonly sink: ReplySink;
  /** Settles when the handler's work is done or the call was ended, whichever comes first. */
  readonly done: Promise<void>;
  private ended = false;
  private settled = false;
  /** What the client gets instead of InternalError when the handler fails after being told to stop. */
  private stopError: VarlinkError | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private endNow: () => void = () => {};

  constructor(
    private readonly outer: ReplySink,
    readonly call: ReceivedCall,
    private readonly context: Context,
    work: (sink: ReplySink) => Promise<void>,
  ) {
    const self = this;
    this.sink = {
      write: (message, fds) => {
        if (!self.ended) outer.write(message, fds);
        else for (const fd of fds ?? []) closeQuietly(fd);
      },
      get passesFds() {
        return outer.passesFds;
      },
      get disconnected() {
        return self.ended || outer.disconnected;
      },
      get upgraded() {
        return outer.upgraded;
      },
      drained: () => outer.drained(),
      maxMessageSize: outer.maxMessageSize,
      logger: outer.logger,
    };
    const finished = work(this.sink)
      .catch((error: unknown) => {
        // Giving up once the call was ended (its time ran out, its client left) is no failure.
        if (this.sink.disconnected && this.context.stoppedBy(error)) return;
        const replaced = this.stopError !== undefined && !isVarlinkError(error);
        sendError(this.sink, call, replaced ? this.stopError : error);
      })
      .then(() => {
        this.settled = true;
        clearTimeout(this.timer);
      });
    const cut = new Promise<void>((resolve) => (this.endNow = resolve));
    this.done = Promise.race([finished, cut]);
  }

  /** Ends the call with `error` unless it is done within `ms` milliseconds (ServerOptions.callTimeout). */
  limit(ms: number, error: VarlinkError): void {
    this.timer = setTimeout(() => {
      this.outer.logger(`method ${this.call.method} ran longer than ${ms} ms: answered ${error.errorName}`);
      this.end(error, new Error(`the call ran longer than ${ms} ms`));
    }, ms);
  }

  /** Tells the handler to stop; if it then fails, the client gets `error` rather than InternalError. */
  stop(reason: Error, error?: VarlinkError): void {
    this.stopError ??= error;
    this.context.stop(reason);
  }

  /** Ends the call now: the handler is told to stop and `error` is the call's last reply. */
  end(error: VarlinkError, reason: Error): void {
    if (this.ended || this.settled) return;
    this.context.stop(reason);
    sendError(this.outer, this.call, error);
    this.ended = true;
    clearTimeout(this.timer);
    this.endNow();
  }
}
