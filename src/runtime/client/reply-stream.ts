import type { MessageParameters } from "../protocol/call-types.js";

type Item<T> = { value: T } | { error: Error } | { end: true };

/**
 * The replies of one `more` call as an async iterable. Replies wait in a queue until read;
 * `onBacklog(true)` asks the connection to stop reading when too many wait, `false` to go on.
 * Leaving the loop early calls `onAbandon`, since the protocol only ends a stream by closing.
 */
export class ReplyStream<T = MessageParameters> implements AsyncIterableIterator<T> {
  private readonly queue: Array<Item<T>> = [];
  private waiting: { resolve: (r: IteratorResult<T>) => void; reject: (e: Error) => void } | undefined;
  private finished = false;
  private backlogged = false;

  constructor(
    private readonly highWaterMark: number,
    private readonly onBacklog: (full: boolean) => void,
    private readonly onAbandon: () => void,
    /** Called with each reply as it reaches the reader, or is dropped unread (what it holds can then be released). */
    private readonly onDelivered?: (value: T) => void,
  ) {}

  push(value: T): void {
    this.deliver({ value });
  }

  end(): void {
    this.deliver({ end: true });
    this.finished = true;
  }

  fail(error: Error): void {
    this.deliver({ error });
    this.finished = true;
  }

  private deliver(item: Item<T>): void {
    if (this.finished) return;
    const waiting = this.waiting;
    if (waiting !== undefined) {
      this.waiting = undefined;
      this.delivered(item);
      settle(item, waiting);
      return;
    }
    this.queue.push(item);
    if (!this.backlogged && this.queue.length >= this.highWaterMark) {
      this.backlogged = true;
      this.onBacklog(true);
    }
  }

  next(): Promise<IteratorResult<T>> {
    const item = this.queue.shift();
    if (this.backlogged && this.queue.length < this.highWaterMark / 2) {
      this.backlogged = false;
      this.onBacklog(false);
    }
    if (item !== undefined) {
      this.delivered(item);
      return new Promise((resolve, reject) => settle(item, { resolve, reject }));
    }
    if (this.finished) return Promise.resolve({ value: undefined, done: true });
    return new Promise((resolve, reject) => {
      this.waiting = { resolve, reject };
    });
  }

  async return(): Promise<IteratorResult<T>> {
    if (!this.finished) {
      this.finished = true;
      for (const item of this.queue.splice(0)) this.delivered(item);
      this.onAbandon();
    }
    return { value: undefined, done: true };
  }

  private delivered(item: Item<T>): void {
    if (this.onDelivered !== undefined && "value" in item) this.onDelivered(item.value);
  }

  [Symbol.asyncIterator](): this {
    return this;
  }
}

function settle<T>(item: Item<T>, to: { resolve: (r: IteratorResult<T>) => void; reject: (e: Error) => void }): void {
  if ("value" in item) to.resolve({ value: item.value, done: false });
  else if ("error" in item) to.reject(item.error);
  else to.resolve({ value: undefined, done: true });
}
