import type { Accepted } from "../interface/descriptor.js";
import type { Fields, MessageParameters, UpgradedStream } from "../protocol/call-types.js";
import type { ServerInterceptor } from "../interceptors/server.js";
import type { ReceivedFds } from "../fds/message-fds.js";
import type { PeerCredentials } from "../fds/peer.js";

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

/**
 * A method's implementation. It may return the reply parameters (or a promise of them), or an
 * async generator for `more` calls: every yielded value is a reply, the last one ends the call.
 */
export type Handler<P = any> = (parameters: P, context: CallContext) => unknown;

export interface MethodImplementation {
  /** Left out, the method answers MethodNotImplemented. */
  handler?: Handler | undefined;
  /** `requires`: calls without `more` get ExpectedMore. */
  more?: "requires" | "supports" | undefined;
  /** `requires`: calls without `upgrade` get ExpectedUpgrade. */
  upgrade?: "requires" | "supports" | undefined;
  /**
   * Checks a call's parameters, and converts them where the handler takes another form (integers
   * as bigints); for invalid ones, what is wrong: the call gets InvalidParameter naming the first.
   */
  parameters?: ((parameters: MessageParameters) => Accepted<unknown> | Promise<Accepted<unknown>>) | undefined;
}

export interface ServiceInterface {
  /** The interface name, e.g. `org.example.ftl`. */
  name: string;
  /** The exact interface text, returned by GetInterfaceDescription. */
  description: string;
  /** Implementations by method name; declared methods left out answer MethodNotImplemented. */
  methods: Record<string, MethodImplementation | Handler | undefined>;
  /** Around every call of this interface, inside the server's own interceptors. */
  interceptors?: readonly ServerInterceptor[] | undefined;
}

export type Logger = (message: string, error?: unknown) => void;
