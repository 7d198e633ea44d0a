import { runBounded, type ClientInterceptor } from "./client.js";

/** Timeouts in milliseconds, for calls whose caller gave none. */
export interface DeadlineOptions {
  /** Milliseconds a call with one reply (or an upgrade) may take when its caller set no timeout. */
  timeout?: number;
  /** Per fully qualified method, for any kind of call (streams included): milliseconds, or undefined for none. */
  methods?: Readonly<Record<string, number | undefined>>;
}

/**
 * Gives calls a timeout when their caller gave none: the method's own from `methods`, else the
 * default for calls with one reply. A `more` stream gets one only from `methods`, since a default
 * meant for a call would end a long stream. A call's own `timeout` always wins. The timeout
 * bounds the interceptors after this one as well as the connection.
 */
export function deadline(options: DeadlineOptions | number): ClientInterceptor {
  const { timeout, methods = {} } = typeof options === "number" ? { timeout: options } : options;
  return (next) => (call) => {
    if (call.options.timeout !== undefined || call.kind === "oneway") return next(call);
    const chosen = Object.hasOwn(methods, call.method)
      ? methods[call.method]
      : call.kind === "more"
        ? undefined
        : timeout;
    if (chosen === undefined) return next(call);
    // The timeout bounds the interceptors inside this one too, not only the connection.
    return runBounded(next, { ...call, options: { ...call.options, timeout: chosen } });
  };
}
