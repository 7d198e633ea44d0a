import type { Writable } from "node:stream";

/**
 * Messages written during one turn of the event loop go out as one write at its end. A socket
 * write costs far more than its bytes (writing strings was 30% of a client's time with 32 calls
 * in flight), and calls made together, such as those that follow the replies of one read, are
 * then sent together. Order holds as long as anything written to the stream another way (with
 * file descriptors, or with a callback) calls flush() first.
 */
export class TurnWriter {
  private queued: string[] = [];

  constructor(private readonly stream: Writable) {}

  write(message: string): void {
    // nextTick, not a microtask: a call made after a chain of awaits is still in this turn.
    if (this.queued.push(message) === 1) process.nextTick(this.flush);
  }

  /** Writes what is queued, now. */
  readonly flush = (): void => {
    if (this.queued.length === 0) return;
    const text = this.queued.length === 1 ? this.queued[0]! : this.queued.join("");
    this.queued = [];
    if (!this.stream.destroyed) this.stream.write(text);
  };
}
