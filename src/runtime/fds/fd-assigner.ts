import { closeQuietly, ReceivedFds } from "./message-fds.js";

// Which message the fds of a read belong to. A sender passes fds with one message's first byte,
// in the sendmsg that starts that message (sd-varlink, asyncvarlink and we do). The kernel ends a
// read right after the data that came with fds, but may put the data of earlier writes before it
// in the same read: so the fds belong to the last message that starts in the read. The reader
// tells how many bytes of an unfinished message it holds before the chunk: none, and the chunk's
// first byte starts a message; after that, every NUL with a byte after it starts one.

export class FdAssigner {
  /** Messages read so far; fds wait under the number of the message they go with. */
  private count = 0;
  private readonly waiting = new Map<number, number[]>();

  constructor(private readonly warn: (message: string) => void) {}

  /** Notes the fds that came with `chunk`, read while `buffered` bytes of a message were held. */
  chunk(chunk: Buffer, fds: number[] | undefined, buffered: number): void {
    if (fds === undefined || fds.length === 0) return;
    // The message that starts after the k-th NUL of the chunk is the k-th after those read so far.
    let ends = 0;
    for (let at = chunk.indexOf(0); at !== -1 && at < chunk.length - 1; at = chunk.indexOf(0, at + 1)) ends++;
    if (ends === 0 && buffered > 0) {
      // No message starts in this read: the fds belong to none. They are closed.
      this.warn(`closed ${fds.length} file descriptor(s) that came with no message's first byte`);
      for (const fd of fds) closeQuietly(fd);
      return;
    }
    const target = this.count + ends;
    const already = this.waiting.get(target);
    this.waiting.set(target, already === undefined ? fds : [...already, ...fds]);
  }

  /** The fds of the message just read, if it carried any. */
  next(): ReceivedFds | undefined {
    if (this.waiting.size === 0) {
      this.count++;
      return undefined;
    }
    const fds = this.waiting.get(this.count);
    this.waiting.delete(this.count);
    this.count++;
    return fds === undefined ? undefined : new ReceivedFds(fds);
  }

  /** Closes the fds of messages that will never be read. */
  close(): void {
    for (const fds of this.waiting.values()) for (const fd of fds) closeQuietly(fd);
    this.waiting.clear();
  }
}
