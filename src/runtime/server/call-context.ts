import type { Duplex } from "node:stream";
import type { Parameters } from "../protocol/call-types.js";
import type { CallMessage } from "../protocol/messages.js";
import type { CallContext } from "./types.js";

/** A call as the server holds it: checked, with its parameters object always present. */
export type ReceivedCall = CallMessage & { parameters: Parameters };

/** What a call's context needs of the connection it arrived on. */
export interface ContextHost {
  readonly disconnected: boolean;
  trackSignal(controller: AbortController): void;
  untrackSignal(controller: AbortController): void;
  upgradeConnection(call: ReceivedCall, parameters: Parameters): Duplex;
}

/** The handler's view of a call. Its abort signal is made on first use, so most calls cost none. */
export class Context implements CallContext {
  private controller: AbortController | undefined;
  private expiredWith: Error | undefined;

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

  get signal(): AbortSignal {
    if (this.controller === undefined) {
      this.controller = new AbortController();
      if (this.expiredWith !== undefined) this.controller.abort(this.expiredWith);
      else if (this.host.disconnected) this.controller.abort(new Error("the client disconnected"));
      else this.host.trackSignal(this.controller);
    }
    return this.controller.signal;
  }

  /** The call ran out of time: its signal fires (now, or as soon as the handler asks for it). */
  expire(reason: Error): void {
    this.expiredWith = reason;
    this.controller?.abort(reason);
  }

  upgradeConnection(parameters: Parameters = {}): Duplex {
    return this.host.upgradeConnection(this.call, parameters);
  }

  /** The call is over: its signal no longer needs to hear of a disconnect. */
  readonly release = (): void => {
    if (this.controller !== undefined) this.host.untrackSignal(this.controller);
  };
}
