// What every connection offers and every caller passes, whatever carries the bytes. Node-free:
// the browser entry's declarations reach this module too.

/** The parameters of a call or reply as they travel: a JSON object. */
export type MessageParameters = Record<string, unknown>;

declare const noFields: unique symbol;

/**
 * The parameters (or reply) of a method that declares no field: only `{}`. An empty interface
 * would take any object (TypeScript checks no excess properties against `{}`), so that
 * `Status({ timeout: 1000 })` would compile and be refused by the service.
 */
export type NoFields = { readonly [noFields]?: never };

/** `T` as a call or a handler gives it: NoFields when it declares no field, else `T` itself. */
export type Fields<T> = unknown extends T ? T : [keyof T] extends [never] ? NoFields : T;

/** What a caller may bound a call with: a signal, a timeout, file descriptors to send. */
export interface CallOptions {
  /** Aborting rejects the call; for a `more` stream it also closes the connection. */
  signal?: AbortSignal | undefined;
  /**
   * Milliseconds before the call is aborted. On a connection that carries many calls (a socket,
   * a WebSocket), a call that times out also closes its connection, as sd-varlink's does: replies
   * come in order, so every later call would wait behind the reply that did not come. Calls
   * pending on it fail with a ConnectionError; open a new connection for the next ones. (Over
   * HTTP each call is a request of its own, and only that call ends.)
   */
  timeout?: number | undefined;
  /**
   * File descriptors to send with the call, which its parameters refer to by index. Only a unix
   * socket opened with `fdPassing` (@varlink-ts/unix-fds) carries them; elsewhere the call
   * fails. They stay the caller's: close them once the call has settled.
   */
  fds?: readonly number[] | undefined;
}

/**
 * The raw byte stream an upgraded connection carries afterwards. The Node entry makes it a
 * `Duplex` (see client/socket-connection.ts); a connection over HTTP or WebSocket has none.
 */
// biome-ignore lint/suspicious/noEmptyInterface: an interface, so that the Node entry can merge Duplex into it
export interface UpgradedStream {}

/** What an `upgrade` call gives: the reply, and the raw connection to speak the upgraded protocol on. */
export interface UpgradeResult<T = MessageParameters> {
  parameters: T;
  /**
   * The raw connection after the reply, for the upgraded protocol; the connection is done with
   * it. It is paused: pipe it, iterate it, or call `resume()` after adding a 'data' listener.
   */
  stream: UpgradedStream;
}

/**
 * A connection to a varlink service, whatever carries it: a socket (SocketConnection), a
 * WebSocket through the HTTP bridge (MessageConnection) or HTTP requests (HttpConnection). It
 * knows two things: a call with one reply and a call with a stream of them. Error replies reject
 * as VarlinkError, the org.varlink.service errors as their own classes; typed clients map their
 * interface's errors on top, so a connection can be shared by clients of many interfaces.
 */
export interface VarlinkConnection {
  call(method: string, parameters?: object, options?: CallOptions): Promise<MessageParameters>;
  more(method: string, parameters?: object, options?: CallOptions): AsyncIterableIterator<MessageParameters>;
  oneway(method: string, parameters?: object): Promise<void>;
  /** Only where the connection is a byte stream that can carry another protocol afterwards. */
  upgrade?(method: string, parameters?: object, options?: CallOptions): Promise<UpgradeResult>;
  close(): Promise<void>;
}
