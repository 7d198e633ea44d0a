import { CallAbortedError, ConnectionError } from "./errors.js";
import type { CallOptions } from "./call-types.js";

/**
 * Wires a call's signal and timeout: `abort` runs once if either fires first (`timedOut` says
 * which). Returns the function that unwires both, to call when the call settles.
 */
export function watchCall(options: CallOptions, abort: (error: Error, timedOut: boolean) => void): () => void {
  const { signal, timeout } = options;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const cleanup = (): void => {
    signal?.removeEventListener("abort", onAbort);
    if (timer !== undefined) clearTimeout(timer);
  };
  const onAbort = (): void => {
    cleanup();
    abort(new CallAbortedError("the call was aborted", { cause: signal?.reason }), false);
  };
  if (signal?.aborted) {
    onAbort();
    return cleanup;
  }
  signal?.addEventListener("abort", onAbort, { once: true });
  if (timeout !== undefined) {
    timer = setTimeout(() => {
      cleanup();
      abort(new CallAbortedError(`no reply within ${timeout} ms`), true);
    }, timeout);
  }
  return cleanup;
}

/**
 * Why a connection is closed when one of its calls timed out (as sd-varlink does): replies come
 * in order, so every later call would wait behind the reply that did not come.
 */
export function timedOutConnection(timeout: number | undefined): ConnectionError {
  return new ConnectionError(
    `the connection was closed: a call got no reply within ${timeout} ms, and the replies to later calls would wait behind it`,
  );
}
