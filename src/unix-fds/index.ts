// @varlink-ts/unix-fds: unix sockets that pass file descriptors (SCM_RIGHTS) and know their
// peer (SO_PEERCRED), for @varlink-ts/runtime: pass `unixFds` as `fdPassing` to a server or a
// connection. Linux only.
import type { FdPassing } from "@varlink-ts/runtime";
import { binding } from "./binding.js";
import { FdListener } from "./listener.js";
import { FdSocket } from "./socket.js";

export { FdListener } from "./listener.js";
export { FdSocket, type PeerCredentials } from "./socket.js";

/**
 * What @varlink-ts/runtime takes as `fdPassing`: checked against the runtime's FdPassing when
 * compiled (a type only: nothing of the runtime is loaded).
 */
export const unixFds = {
  /**
   * Connects to a unix socket path, or `@name` in the abstract namespace, without blocking: a
   * listener whose backlog is full is tried again until it has room (see FdSocket.connect).
   */
  connect(path: string): FdSocket {
    return FdSocket.connect(path);
  },
  /** Listens on a unix socket path, or `@name`. */
  listen(path: string, backlog = 1024): FdListener {
    const fd = binding.listen(path, backlog);
    // An abstract socket (`@name`) has no file to remove.
    return new FdListener(fd, path.startsWith("@") ? undefined : path);
  },
  /** A connected unix socket handed over (socket activation, a socketpair end); it owns the fd from then on. */
  adoptConnection(fd: number): FdSocket {
    return adoptSocket(fd);
  },
  /** A listening unix socket handed over (socket activation); it owns the fd from then on. */
  adoptListener(fd: number): FdListener {
    if (!binding.adopt(fd)) throw new TypeError(`fd ${fd} is not a unix stream socket`);
    return new FdListener(fd);
  },
} satisfies FdPassing;

/** Two connected sockets, as socketpair(2) makes them: for a child process, or for tests. */
export function socketPair(): [FdSocket, FdSocket] {
  const [a, b] = binding.socketpair();
  return [new FdSocket(a), new FdSocket(b)];
}

/** A connected socket handed over (socket activation, a socketpair end), as an FdSocket; it then owns the fd. */
export function adoptSocket(fd: number): FdSocket {
  if (!binding.adopt(fd)) throw new TypeError(`fd ${fd} is not a unix stream socket`);
  return new FdSocket(fd);
}

/** A copy of `fd` (close-on-exec), for sending an fd that you keep as well. */
export function dup(fd: number): number {
  return binding.dup(fd);
}
