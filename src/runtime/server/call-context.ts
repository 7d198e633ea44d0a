import type { Duplex } from "node:stream";
import { isAbortOf, type VarlinkError } from "../protocol/errors.js";
import type { MessageParameters } from "../protocol/call-types.js";
import type { CallMessage } from "../protocol/messages.js";
import type { CallContext } from "../interceptors/handler.js";
import { ReceivedFds } from "../fds/message-fds.js";
import type { PeerCredentials } from "../fds/peer.js";

/**
 * A call as the server holds it: checked, with its parameters object always present. `refusal`
 * is set for a call that is answered with that error without running (its parameters nested too
 * deep to read).
 */
export type ReceivedCall = CallMessage & {
  parameters: MessageParameters;
  refusal?: VarlinkError;
  fds?: ReceivedFds | undefined;
};

/** What a call's context needs of the connection it arrived on. */
export interface ContextHost {
  readonly disconnected: boolean;
  /** The client's credentials, where the transport knows them (a unix socket through @varlink-ts/unix-fds). */
  readonly peer: PeerCredentials | undefined;
  upgradeConnection(call: ReceivedCall, parameters: MessageParameters): Duplex;
}

/** The handler's view of a call. Its abort signal is made on first use, so most calls cost none. */
export class Context implements CallContext {
  private controller: AbortController | undefined;
  private stoppedWith: Error | undefined;

  constructor(
    readonly call: ReceivedCall,
    private readonly host: ContextHost,
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

  get fds(): ReceivedFds {
    return (this.call.fds ??= new ReceivedFds([]));
  }

  get peer(): PeerCredentials | undefined {
    return this.host.peer;
  }

  get signal(): AbortSignal {
    if (this.controller === undefined) {
      this.controller = new AbortController();
      if (this.stoppedWith !== undefined) this.controller.abort(this.stoppedWith);
      else if (this.host.disconnected) this.controller.abort(new Error("the client disconnected"));
    }
    return this.controller.signal;
  }

  /** Whether the handler was told to stop (its signal fired, or will as soon as it asks for it). */
  get stopped(): boolean {
    return this.stoppedWith !== undefined;
  }

  /**
   * Whether `error` is the handler giving up because it was told to stop: the signal's reason
   * itself, or an AbortError (what the APIs that take a signal throw). That is how the call
   * ended, not a failure.
   */
  stoppedBy(error: unknown): boolean {
    return this.stoppedWith !== undefined && isAbortOf(error, this.stoppedWith);
  }

  /** Tells the handler to stop: its signal fires now, or as soon as it asks for it. */
  stop(reason: Error): void {
    if (this.stoppedWith !== undefined) return;
    this.stoppedWith = reason;
    this.controller?.abort(reason);
  }

  upgradeConnection(parameters: MessageParameters = {}): Duplex {
    return this.host.upgradeConnection(this.call, parameters);
  }
}
