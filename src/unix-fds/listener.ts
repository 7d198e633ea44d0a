import { EventEmitter } from "node:events";
import { binding } from "./binding.js";
import { FdSocket } from "./socket.js";

// A listening unix socket whose connections are FdSockets: accept4 whenever libuv says one waits.

export class FdListener extends EventEmitter<{ connection: [FdSocket]; error: [Error] }> {
  private readonly handle: object;
  private closed = false;
  /** While out of fds: when accepting is tried again. */
  private retry: ReturnType<typeof setTimeout> | undefined;

  constructor(readonly fd: number) {
    super();
    this.handle = binding.poll(fd, this.onEvents);
    binding.pollStart(this.handle, 1);
  }

  /** Stops accepting and closes the listening socket; connections already accepted go on. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    clearTimeout(this.retry);
    binding.pollClose(this.handle);
    binding.close(this.fd);
  }

  private readonly onEvents = (status: number): void => {
    if (this.closed) return;
    if (status < 0) return void this.emit("error", new Error(`polling the listening socket failed (${status})`));
    try {
      for (let fd = binding.accept(this.fd); fd !== -1; fd = binding.accept(this.fd)) this.emit("connection", new FdSocket(fd));
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
