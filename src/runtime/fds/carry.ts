import { ConnectionError } from "../protocol/errors.js";
import type { CallOptions } from "../protocol/call-types.js";
import type { ReceivedFds } from "./message-fds.js";

// Where a message's fds travel with its parameters: received ones on the reply or call they came
// with (fdsOf), outgoing ones on a reply (withFds). Symbol-keyed and not enumerable, so they are
// never encoded. Node-free: typed clients, which run in browsers too, carry them over.

const received = Symbol("varlink-ts.receivedFds");
const outgoing = Symbol("varlink-ts.outgoingFds");

/** The most fds one message may carry (the kernel's SCM_MAX_FD, as sd-varlink). */
export const maxFdsPerMessage = 253;

/** The fds that came with a reply (`fdsOf(await client.call(…))`), or undefined when none did. */
export function fdsOf(parameters: unknown): ReceivedFds | undefined {
  return typeof parameters === "object" && parameters !== null
    ? (parameters as { [received]?: ReceivedFds })[received]
    : undefined;
}

/** Notes the fds that came with `parameters` on them, where fdsOf finds them. */
export function attachReceived(parameters: object, fds: ReceivedFds): void {
  Object.defineProperty(parameters, received, { value: fds, enumerable: false, configurable: true });
}

/** The same fds on a converted copy of a reply (integers as bigints, say). */
export function carryFds<T>(from: unknown, to: T): T {
  const fds = fdsOf(from);
  if (fds !== undefined && typeof to === "object" && to !== null && to !== from) attachReceived(to, fds);
  return to;
}

/**
 * `parameters` as a reply that carries `fds`, which its parameters refer to by index. A server's
 * reply owns them: they are closed once the reply is written, or when it cannot be.
 */
export function withFds<T extends object>(parameters: T, fds: readonly number[]): T {
  if (fds.length > maxFdsPerMessage)
    throw new RangeError(`a message carries at most ${maxFdsPerMessage} file descriptors, not ${fds.length}`);
  Object.defineProperty(parameters, outgoing, { value: [...fds], enumerable: false, configurable: true });
  return parameters;
}

/** The fds withFds attached, if any. */
export function outgoingFds(parameters: unknown): readonly number[] | undefined {
  return typeof parameters === "object" && parameters !== null
    ? (parameters as { [outgoing]?: readonly number[] })[outgoing]
    : undefined;
}

/** Why a call with fds cannot go over `carrier` (which passes none), or undefined when it has none. */
export function fdsRefusal(options: CallOptions | undefined, carrier: string): ConnectionError | undefined {
  if (options?.fds === undefined || options.fds.length === 0) return undefined;
  return new ConnectionError(
    `${carrier} cannot pass file descriptors: only a unix socket opened with fdPassing (@varlink-ts/unix-fds) can`,
  );
}
