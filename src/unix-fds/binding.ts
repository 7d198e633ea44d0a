import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";

// The native add-on: prebuilt for linux-x64 in prebuilds/, or built from source at install
// (node-gyp) into build/Release; node-gyp-build finds whichever is there.

/** What native/unix_fds.c exports. Every fd is a plain number; the caller closes each once. */
export interface Binding {
  /** A new unix stream socket, non-blocking, to connect. */
  socket(): number;
  /** Connects `fd`: true once connected, false when the listener's backlog is full (try again later). Never waits. */
  connect(fd: number, path: string): boolean;
  listen(path: string, backlog: number): number;
  /** -1 when no connection waits. */
  accept(fd: number): number;
  socketpair(): [number, number];
  /** Makes a handed-over fd non-blocking; true if it is a unix stream socket. */
  adopt(fd: number): boolean;
  /**
   * Bytes read, -1 when nothing waits, 0 at the end of the stream; fds that came are appended to
   * `fds`. Throws EMSGCTRUNC when fds were cut off. If it throws after appending some (`fds`
   * refused one), those are the caller's to close; the add-on closed the rest.
   */
  recv(fd: number, buffer: Buffer, fds: number[]): number;
  /** Bytes written, -1 when the socket is full; `fds` go with the first byte written. */
  send(fd: number, buffer: Buffer, offset: number, length: number, fds?: readonly number[]): number;
  /** A string's UTF-8 without fds: the bytes not yet written (0: all), or -1 when the socket is full and nothing went. */
  sendString(fd: number, text: string): number;
  close(fd: number): void;
  shutdown(fd: number): void;
  dup(fd: number): number;
  /** Whether the peer is gone both ways (POLLHUP or POLLERR), not merely done writing (a half-close). */
  hungUp(fd: number): boolean;
  peerCredentials(fd: number): { pid: number; uid: number; gid: number };
  poll(fd: number, callback: (status: number, events: number) => void): object;
  /** events: 1 readable, 2 writable, 4 hung up (the peer gone: POLLHUP or POLLERR), 0 none; the callback gets the same bits. */
  pollStart(handle: object, events: number): void;
  pollClose(handle: object): void;
}

const require = createRequire(import.meta.url);
const packageRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const load = require("node-gyp-build") as (root: string) => Binding;

export const binding: Binding = load(packageRoot);
