import { ProtocolError } from "../protocol/errors.js";
import { errorFromReply } from "../service/error-replies.js";
import type { MessageParameters, UpgradeResult } from "../protocol/call-types.js";
import type { ReplyMessage } from "../protocol/messages.js";
import type { ReplyStream } from "./reply-stream.js";

// The calls a connection has sent and not yet had answered, in order: replies are matched to
// them one by one, whatever carries the bytes (a socket or WebSocket messages). Browser-safe.

export type PendingCall =
  | {
      kind: "reply";
      resolve: (p: MessageParameters) => void;
      reject: (e: Error) => void;
      abandoned: boolean;
      cleanup?: (() => void) | undefined;
    }
  | { kind: "more"; stream: ReplyStream; cleanup?: (() => void) | undefined }
  | {
      kind: "upgrade";
      resolve: (r: UpgradeResult) => void;
      reject: (e: Error) => void;
      abandoned: boolean;
      cleanup?: (() => void) | undefined;
    };

export type PendingUpgrade = Extract<PendingCall, { kind: "upgrade" }>;

export class PendingCalls {
  private readonly queue: PendingCall[] = [];

  get length(): number {
    return this.queue.length;
  }

  /** The call the next reply answers. */
  get head(): PendingCall | undefined {
    return this.queue[0];
  }

  push(call: PendingCall): void {
    this.queue.push(call);
  }

  /**
   * Gives one reply to the oldest call. A successful upgrade reply is returned instead of
   * resolved: the connection must be handed over first. Throws ProtocolError for a reply that
   * answers no call.
   */
  deliver(
    reply: ReplyMessage & { parameters: MessageParameters },
  ): { upgrade: PendingUpgrade; parameters: MessageParameters } | undefined {
    const head = this.queue[0];
    if (head === undefined) throw new ProtocolError("a reply arrived for no call");
    if (reply.error != null) {
      this.settle(head);
      const error = errorFromReply(reply.error, reply.parameters);
      if (head.kind === "more") head.stream.fail(error);
      else if (!head.abandoned) head.reject(error);
      return undefined;
    }
    if (head.kind === "more") {
      head.stream.push(reply.parameters);
      if (reply.continues !== true) {
        this.settle(head);
        head.stream.end();
      }
      return undefined;
    }
    if (reply.continues === true) throw new ProtocolError("'continues' in the reply to a call without 'more'");
    this.settle(head);
    if (head.kind === "upgrade") return { upgrade: head, parameters: reply.parameters };
    if (!head.abandoned) head.resolve(reply.parameters);
    return undefined;
  }

  /** Every call still waiting fails with `error`. */
  failAll(error: Error): void {
    for (const call of this.queue.splice(0)) fail(call, error);
  }

  /** A call that never went out (its fds could not be sent) fails alone; false if it is no longer waiting. */
  failUnsent(call: PendingCall, error: Error): boolean {
    const index = this.queue.indexOf(call);
    if (index === -1) return false;
    this.queue.splice(index, 1);
    fail(call, error);
    return true;
  }

  private settle(head: PendingCall): void {
    this.queue.shift();
    head.cleanup?.();
  }
}

function fail(call: PendingCall, error: Error): void {
  call.cleanup?.();
  if (call.kind === "more") call.stream.fail(error);
  else if (!call.abandoned) call.reject(error);
}
