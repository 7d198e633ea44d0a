import { EventEmitter } from "node:events";
import { lstatSync, unlinkSync } from "node:fs";
import { binding } from "./binding.js";
import { FdSocket } from "./socket.js";

// A listening unix socket whose connections are FdSockets: accept4 whenever libuv says one waits.

/** The socket file a listener made, known by its inode so that a file put there since is left alone. */
interface SocketFile {
  path: string;
  dev: number;
  ino: number;
}

export class FdListener extends EventEmitter<{ connection: [FdSocket]; error: [Error] }> {
  private readonly handle: object;
  private closed = false;
  /** While out of fds: when accepting is tried again. */
  private retry: ReturnType<typeof setTimeout> | undefined;
  private readonly file: SocketFile | undefined;

  /** `path`: the socket file this listener made (not a handed-over one): removed on close, as Node's own servers do. */
  constructor(
    readonly fd: number,
    path?: string,
  ) {
    super();
    this.file = path === undefined ? undefined : socketFile(path);
    this.handle = binding.poll(fd, this.onEvents);
    binding.pollStart(this.handle, 1);
  }

  /** Stops accepting, closes the listening socket and removes its file; connections already accepted go on. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    clearTimeout(this.retry);
    binding.pollClose(this.handle);
    binding.close(this.fd);
    if (this.file !== undefined) removeSocketFile(this.file);
  }

  private readonly onEvents = (status: number): void => {
    if (this.closed) return;
    if (status < 0) return void this.emit("error", new Error(`polling the listening socket failed (${status})`));
    try {
      for (let fd = binding.accept(this.fd); fd !== -1; fd = binding.accept(this.fd))
        this.emit("connection", new FdSocket(fd));
    } catch (error) {
      // Out of fds (EMFILE), say: the listener stays, and waits a moment before trying again,
      // since the pending connection would wake it at once. The wait keeps the process alive,
      // as the listener does while it polls.
      this.emit("error", error as Error);
      binding.pollStart(this.handle, 0);
      this.retry = setTimeout(() => {
        this.retry = undefined;
        if (!this.closed) binding.pollStart(this.handle, 1);
      }, 100);
    }
  };
}

function socketFile(path: string): SocketFile | undefined {
  try {
    const { dev, ino } = lstatSync(path);
    return { path, dev, ino };
  } catch {
    // Removed already, by the time we look: nothing to remove on close either.
    return undefined;
  }
}

/** Removes the socket file, unless it is gone or another file has taken its place. */
function removeSocketFile(file: SocketFile): void {
  try {
    const now = lstatSync(file.path);
    if (now.isSocket() && now.dev === file.dev && now.ino === file.ino) unlinkSync(file.path);
  } catch {
    // Gone already, or its folder with it: nothing to remove.
  }
}
