import type { Fields, MessageParameters, UpgradedStream } from "../protocol/call-types.js";
import type { ReceivedFds } from "../fds/message-fds.js";
import type { PeerCredentials } from "../fds/peer.js";

// What a handler is given and what it gives back: the contract that interface descriptors,
// server interceptors and the server share, kept below all three.

/** What a handler learns about the call it serves. */
export interface CallContext {
  /** The fully qualified method name. */
  method: string;
  more: boolean;
  oneway: boolean;
  upgrade: boolean;
  /** Fires when the client disconnects or the server shuts down; long work should stop. */
  signal: AbortSignal;
  /**
   * The file descriptors that came with the call, by the index its parameters refer to them with
   * (empty without fd passing). `take(i)` makes one the handler's; the rest are closed once the
   * call is answered.
   */
  fds: ReceivedFds;
  /** The caller's uid, gid and pid: on a unix socket served through @varlink-ts/unix-fds, else undefined. */
  peer: PeerCredentials | undefined;
  /** The raw call, vendor-prefixed header keys included. */
  call: Readonly<Record<string, unknown>>;
  /**
   * For calls with `upgrade`: sends `parameters` as the reply and hands over the raw
   * connection, with any bytes the client already sent after the call. The stream is paused:
   * pipe it, iterate it, or call `resume()` after adding a 'data' listener.
   */
  upgradeConnection(parameters?: MessageParameters): UpgradedStream;
}

/**
 * What a handler of a method with one reply returns; methods without required reply fields may
 * return nothing, and a method whose reply declares no field may return no field.
 */
export type Reply<T> = {} extends T ? Fields<T> | void | Promise<Fields<T> | void> : T | Promise<T>;

/** What a handler of a method that requires 'upgrade' returns, once it has called `context.upgradeConnection`. */
export type Upgraded = void | Promise<void>;

/**
 * What a handler of a method called with 'more' returns: a generator whose every `yield` is a
 * reply. Its `return` value, if any, is the final reply. A generator that pauses after its last
 * `yield` (waiting for events) and then ends without returning a value ends the stream with an
 * empty reply, since the value before the pause already went out as not the last.
 */
export type Replies<T> = AsyncGenerator<T, T | void, undefined> | Generator<T, T | void, undefined> | AsyncIterable<T>;
