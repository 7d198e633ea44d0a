import { closeSync } from "node:fs";

// The fds a message brought: the receiver takes the ones it keeps; whatever it does not take is
// closed once the message has been dealt with, so that every fd is closed exactly once.

/** The fds that came with a message, by the index its parameters refer to them with. */
export class ReceivedFds {
  private readonly fds: Array<number | undefined>;

  constructor(fds: readonly number[]) {
    this.fds = [...fds];
  }

  get length(): number {
    return this.fds.length;
  }

  /** Fd number `index`, which is the caller's from now on: nothing closes it for you. */
  take(index: number): number {
    const fd = this.peek(index);
    this.fds[index] = undefined;
    return fd;
  }

  /** Fd number `index`, still the message's: it is closed when the message has been dealt with. */
  peek(index: number): number {
    if (!Number.isInteger(index) || index < 0 || index >= this.fds.length) {
      throw new RangeError(`no file descriptor with index ${index}: the message carried ${this.fds.length}`);
    }
    const fd = this.fds[index];
    if (fd === undefined) throw new RangeError(`the file descriptor with index ${index} was already taken`);
    return fd;
  }

  /** Closes every fd not taken. */
  close(): void {
    for (let i = 0; i < this.fds.length; i++) {
      const fd = this.fds[i];
      this.fds[i] = undefined;
      if (fd !== undefined) closeQuietly(fd);
    }
  }
}

export function closeQuietly(fd: number): void {
  try {
    closeSync(fd);
  } catch {
    // Closed already: there is nothing left to release.
  }
}
