import { CallAbortedError } from "../errors.js";
import type { CallOptions } from "../protocol/call-types.js";

/**
 * Wires a call's signal and timeout: `abort` runs once if either fires first. Returns the
 * function that unwires both, to call when the call settles.
 */
export function watchCall(options: CallOptions, abort: (error: Error) => void): () => void {
  const { signal, timeout } = options;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const cleanup = (): void => {
    signal?.removeEventListener("abort", onAbort);
    if (timer !== undefined) clearTimeout(timer);
  };
  const onAbort = (): void => {
    cleanup();
    abort(new CallAbortedError("the call was aborted", { cause: signal?.reason }));
  };
  if (signal?.aborted) {
    onAbort();
    return cleanup;
  }
  signal?.addEventListener("abort", onAbort, { once: true });
  if (timeout !== undefined) {
    timer = setTimeout(() => {
      cleanup();
      abort(new CallAbortedError(`no reply within ${timeout} ms`));
    }, timeout);
  }
  return cleanup;
}
