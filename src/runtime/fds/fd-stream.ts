import type { Duplex } from "node:stream";
export type { PeerCredentials } from "./peer.js";

// What the runtime needs of a transport that passes file descriptors, and nothing more, so that
// the runtime depends on no add-on: @varlink-ts/unix-fds implements it (SCM_RIGHTS on Linux unix
// sockets), and a user passes it in (`fdPassing`), as sd-varlink's fd passing is opt-in.

import type { PeerCredentials } from "./peer.js";

/**
 * A connected stream whose chunks may carry fds. It is half-open, and emits "hangup" when its
 * peer is gone both ways (not merely done writing), whether it was being read or not.
 */
export interface FdStream extends Duplex {
  /** The fds that came with `chunk` (a chunk this stream emitted), taken as it is read ("data"); from then on the caller's. Those not taken then are closed. */
  takeFds(chunk: Buffer): number[] | undefined;
  /** Writes `data` with `fds` going with its first byte; the fds stay the caller's (the peer gets copies). */
  writeWithFds(data: string | Buffer, fds: readonly number[], callback?: (error?: Error | null) => void): boolean;
  readonly peer: PeerCredentials;
}

/** A listening socket whose connections are FdStreams. */
export interface FdListener {
  close(): void;
  on(event: "connection", listener: (stream: FdStream) => void): unknown;
  on(event: "error", listener: (error: Error) => void): unknown;
}

/** What `@varlink-ts/unix-fds` exports as `unixFds`: unix sockets that pass fds. */
export interface FdPassing {
  /** Connects to a unix socket path, or `@name` in the abstract namespace. */
  connect(path: string): FdStream;
  /** Listens on a unix socket path, or `@name`. */
  listen(path: string, backlog?: number): FdListener;
  /** A connected unix socket handed over (socket activation), which it owns from then on. */
  adoptConnection(fd: number): FdStream;
  /** A listening unix socket handed over (socket activation), which it owns from then on. */
  adoptListener(fd: number): FdListener;
}

export function isFdStream(stream: Duplex): stream is FdStream {
  return typeof (stream as Partial<FdStream>).takeFds === "function";
}
