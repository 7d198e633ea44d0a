import type { Writable } from "node:stream";

/** Resolves when `stream` can take more writes, or is gone (whoever waits then learns why). */
export function drained(stream: Writable): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      stream.off("drain", done).off("close", done);
      resolve();
    };
    stream.on("drain", done).on("close", done);
  });
}
