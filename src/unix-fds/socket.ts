import { Duplex } from "node:stream";
import { binding } from "./binding.js";

// A connected unix stream socket as a Node Duplex whose chunks may carry file descriptors. The
// bytes are read and written with recvmsg/sendmsg; libuv only says when to (uv_poll_t). The
// fds that arrive with a chunk wait here until its reader takes them for the message they
// belong to, as it reads the chunk; those it does not take then (a reader that knows nothing of
// fds, such as the handler of an upgraded connection) are closed.
//
// The socket is half-open, as sd-varlink's are: a peer that shuts down its writing side (a
// half-close) ends this socket's reading side and can still be written to. A peer that is gone
// both ways (POLLHUP) is told apart: the socket emits "hangup", whether it was reading or not.

/** The credentials of the process at the other end, as they were when it connected. */
export interface PeerCredentials {
  pid: number;
  uid: number;
  gid: number;
}

/** What a write carries: bytes, the fds that go with their first byte, and who to tell once they went. */
interface Outgoing {
  data: string | Buffer;
  fds: readonly number[];
  sent: ((error?: Error | null) => void) | undefined;
}

const noFds: number[] = [];
const readable = 1;
const writable = 2;
/** Wakes only when the peer is gone both ways (or the socket failed): see pollStart in the add-on. */
const hangup = 4;
const readSize = 64 * 1024;
/** Bytes (a string counts its length) queued for sending before writes wait (as a Writable's highWaterMark would). */
const queueLimit = 64 * 1024;
/** Milliseconds before connecting again to a listener whose backlog was full: doubling, up to the last. */
const firstRetry = 1;
const lastRetry = 50;

export class FdSocket extends Duplex {
  private readonly handle: object;
  private events = 0;
  private readonly scratch = Buffer.allocUnsafe(readSize);
  /** Where a read puts the fds that came with it. */
  private readonly incoming: number[] = [];
  /** Chunks that came with fds, oldest first, and where each starts in the stream, until their reader takes them. */
  private readonly received: Array<{ chunk: Buffer; fds: number[]; start: number }> = [];
  /** Bytes pushed to the stream so far, and bytes its reader has had ("data" events, less those unshifted). */
  private pushedBytes = 0;
  private readBytes = 0;
  /** The peer is gone both ways ("hangup" was emitted). */
  private peerGone = false;
  /** What waits to be sent, in order; a segment with fds starts a sendmsg of its own. */
  private readonly queue: Segment[] = [];
  private queuedBytes = 0;
  /** The bytes being sent now (queued segments joined), how far they got, their fds, and who waits for them. */
  private sending: Batch | undefined;
  /** Write callbacks held back while more than `queueLimit` bytes wait: the stream's backpressure. */
  private readonly held: Array<(error?: Error | null) => void> = [];
  private flushScheduled = false;
  private finalCallback: ((error?: Error | null) => void) | undefined;
  private reading = false;
  private credentials: PeerCredentials | undefined;
  private fdClosed = false;
  /** While the listener's backlog is full: the next try to connect. */
  private retry: ReturnType<typeof setTimeout> | undefined;

  constructor(readonly fd: number) {
    super({ allowHalfOpen: true, writableObjectMode: true, writableHighWaterMark: 64 });
    this.handle = binding.poll(fd, this.onEvents);
  }

  /**
   * Connects to a unix socket path, or `@name`, without blocking. A listener whose backlog is
   * full is tried again, a little later each time, until it has room: meanwhile `connecting` is
   * true, writes wait, and destroy() gives up; "connect" is emitted once it is connected. Errors
   * found at once (ENOENT, ECONNREFUSED) are thrown; later ones are the socket's "error".
   */
  static connect(path: string): FdSocket {
    const fd = binding.socket();
    let connected: boolean;
    try {
      connected = binding.connect(fd, path);
    } catch (error) {
      binding.close(fd);
      throw error;
    }
    const socket = new FdSocket(fd);
    if (!connected) socket.connectLater(path, firstRetry);
    return socket;
  }

  /** Whether the socket still waits for room in the listener's backlog. */
  get connecting(): boolean {
    return this.retry !== undefined;
  }

  /**
   * Tries to connect again after `delay` (the kernel has nothing to poll for room in another
   * socket's backlog). Polling waits until then: an unconnected socket polls hung up at once.
   */
  private connectLater(path: string, delay: number): void {
    this.retry = setTimeout(() => {
      try {
        if (!binding.connect(this.fd, path)) return this.connectLater(path, Math.min(delay * 2, lastRetry));
      } catch (error) {
        this.retry = undefined;
        return void this.destroy(error as Error);
      }
      this.retry = undefined;
      if (this.events !== 0) binding.pollStart(this.handle, this.events);
      this.emit("connect");
      this.flush();
    }, delay);
  }

  /** The fds that came with `chunk` (one this socket emitted); the caller owns them from now on. */
  takeFds(chunk: Buffer): number[] | undefined {
    const index = this.received.findIndex((entry) => entry.chunk === chunk);
    if (index === -1) return undefined;
    return this.received.splice(index, 1)[0]!.fds;
  }

  /**
   * Writes `data` with `fds` going with its first byte. The fds stay the caller's (the kernel
   * passes copies) and must stay open until `sent` is called: once the bytes and fds went out,
   * or with an error when they never will.
   */
  writeWithFds(data: string | Buffer, fds: readonly number[], sent?: (error?: Error | null) => void): boolean {
    const outgoing: Outgoing = { data, fds, sent };
    return this.write(outgoing);
  }

  /** The peer's uid, gid and pid (SO_PEERCRED). */
  get peer(): PeerCredentials {
    this.credentials ??= binding.peerCredentials(this.fd);
    return this.credentials;
  }

  /** After each chunk's "data" event: the fds of every chunk its reader has had and did not take are closed. */
  override emit(event: string | symbol, ...args: any[]): boolean {
    const result = super.emit(event, ...args);
    if (event === "data") {
      this.readBytes += byteLength(args[0] as Buffer | string);
      if (this.received.length > 0) this.releaseRead();
    }
    return result;
  }

  override unshift(chunk: any, encoding?: BufferEncoding): void {
    // Bytes given back are read again: their fds, if still here, wait for that.
    if (chunk !== null && chunk !== undefined) this.readBytes -= byteLength(chunk as Buffer | string);
    super.unshift(chunk, encoding);
  }

  private releaseRead(): void {
    while (this.received.length > 0 && this.received[0]!.start < this.readBytes) {
      for (const fd of this.received.shift()!.fds) closeQuietly(fd);
    }
  }

  override _read(): void {
    this.reading = true;
    this.want(readable, true);
  }

  override _write(chunk: unknown, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    // Most writes are one message's text: queued as it is.
    this.enqueue(
      typeof chunk === "string" ? [{ data: chunk, fds: undefined, sent: undefined }] : segmentsOf([chunk]),
      callback,
    );
  }

  override _writev(chunks: Array<{ chunk: unknown }>, callback: (error?: Error | null) => void): void {
    this.enqueue(segmentsOf(chunks.map((entry) => entry.chunk)), callback);
  }

  /**
   * Queues writes and sends them once the current run of code and its promise jobs are done, so
   * that the calls or replies made in one turn leave in one sendmsg (as many as their fds allow).
   * A write counts as done once queued, unless too much waits.
   */
  private enqueue(segments: readonly Segment[], callback: (error?: Error | null) => void): void {
    for (const segment of segments) {
      this.queue.push(segment);
      this.queuedBytes += segment.data.length;
    }
    if (this.queuedBytes < queueLimit) callback();
    else this.held.push(callback);
    if (!this.flushScheduled) {
      this.flushScheduled = true;
      queueMicrotask(() => {
        this.flushScheduled = false;
        this.flush();
      });
    }
  }

  override _final(callback: (error?: Error | null) => void): void {
    if (this.connecting || this.sending !== undefined || this.queue.length > 0) {
      this.finalCallback = callback;
      return;
    }
    try {
      binding.shutdown(this.fd);
      callback();
    } catch (error) {
      callback(error as Error);
    }
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    clearTimeout(this.retry);
    this.retry = undefined;
    binding.pollClose(this.handle);
    for (const entry of this.received.splice(0)) for (const fd of entry.fds) closeQuietly(fd);
    if (!this.fdClosed) {
      this.fdClosed = true;
      closeQuietly(this.fd);
    }
    const closed = error ?? new Error("the socket was closed");
    this.sending?.sent?.(closed);
    for (const segment of this.queue.splice(0)) segment.sent?.(closed);
    this.sending = undefined;
    for (const held of this.held.splice(0)) held(closed);
    callback(error);
  }

  /**
   * Polls for `event` or stops. While the socket is not read (paused, or after the end of the
   * stream), it still watches for the peer leaving, until it has.
   */
  private want(event: number, on: boolean): void {
    let events = on ? this.events | event : this.events & ~event;
    events = (events & readable) !== 0 || this.peerGone ? events & ~hangup : events | hangup;
    if (events === this.events || this.destroyed) return;
    this.events = events;
    if (!this.connecting) binding.pollStart(this.handle, events);
  }

  private readonly onEvents = (status: number, events: number): void => {
    if (this.destroyed) return;
    if (status < 0) return void this.destroy(new Error(`polling the socket failed (${status})`));
    if (events & writable) this.flush();
    if (events & readable && this.reading) this.readSome();
    if (events & hangup && !this.destroyed && binding.hungUp(this.fd)) this.noteHangup();
  };

  /** The peer is gone both ways: said once ("hangup"); whoever serves it decides what that means. */
  private noteHangup(): void {
    if (this.peerGone) return;
    this.peerGone = true;
    this.want(hangup, false);
    this.emit("hangup");
  }

  /**
   * Reads until the stream wants no more, or a read comes back short: the socket is then most
   * likely empty, and poll says so if it is not (reading again would cost a syscall that finds
   * nothing).
   */
  private readSome(): void {
    try {
      for (;;) {
        const incoming = this.incoming;
        incoming.length = 0;
        const bytes = receive(this.fd, this.scratch, incoming);
        const fds = incoming.length === 0 ? noFds : [...incoming];
        if (bytes === -1) return;
        if (bytes === 0) {
          // fds with no bytes cannot belong to any message.
          for (const fd of fds) closeQuietly(fd);
          // A half-close, or the peer gone both ways: asked now, as both end the stream alike.
          const gone = binding.hungUp(this.fd);
          this.reading = false;
          this.want(readable, false);
          this.push(null);
          if (gone) this.noteHangup();
          return;
        }
        const chunk = Buffer.allocUnsafe(bytes);
        this.scratch.copy(chunk, 0, 0, bytes);
        if (fds.length > 0) this.received.push({ chunk, fds, start: this.pushedBytes });
        this.pushedBytes += bytes;
        if (!this.push(chunk)) {
          this.reading = false;
          this.want(readable, false);
          return;
        }
        if (bytes < this.scratch.length) return;
      }
    } catch (error) {
      this.destroy(error as Error);
    }
  }

  /** Sends what waits until it is all out or the socket is full; then releases held writes and a pending end. */
  private flush(): void {
    if (this.destroyed || this.connecting) return;
    try {
      for (;;) {
        const sending = (this.sending ??= this.nextBatch());
        if (sending === undefined) break;
        if (typeof sending.data === "string") {
          const left = binding.sendString(this.fd, sending.data);
          if (left === -1) return this.want(writable, true);
          // Rarely does a string go in part: the rest is sent as bytes.
          if (left > 0) {
            const bytes = Buffer.from(sending.data, "utf8");
            this.sending = { ...sending, data: bytes, offset: bytes.length - left };
            continue;
          }
          sending.offset = sending.data.length;
        } else {
          const written = this.sendBytes(sending, sending.data);
          if (written === undefined) continue;
          if (written === -1) return this.want(writable, true);
          sending.offset += written;
        }
        if (sending.offset === sending.data.length) {
          this.sending = undefined;
          sending.sent?.();
        }
      }
    } catch (error) {
      return void this.destroy(error as Error);
    }
    this.want(writable, false);
    for (const held of this.held.splice(0)) held();
    const final = this.finalCallback;
    this.finalCallback = undefined;
    if (final !== undefined) this._final(final);
  }

  /**
   * Sends some of a batch's bytes, and its fds with the first. Fds that cannot be sent (one not
   * open, too many) fail that message alone, before any of it went, when someone waits on it:
   * undefined, and the next batch is up. Without anyone to tell, the socket fails.
   */
  private sendBytes(sending: Batch, data: Buffer): number | undefined {
    const first = sending.offset === 0;
    try {
      return binding.send(this.fd, data, sending.offset, data.length - sending.offset, first ? sending.fds : undefined);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (
        !first ||
        sending.sent === undefined ||
        sending.fds === undefined ||
        sending.fds.length === 0 ||
        (code !== "EBADF" && code !== "ETOOMANYREFS")
      )
        throw error;
      this.sending = undefined;
      sending.sent(error as Error);
      return undefined;
    }
  }

  /**
   * The queued segments that go in one sendmsg. A message with fds goes alone, so that the fds
   * come with the last message that starts in the receiver's read (see the runtime's FdAssigner);
   * segments without fds join the one before them.
   */
  private nextBatch(): Batch | undefined {
    const first = this.queue.shift();
    if (first === undefined) return undefined;
    const parts = [first.data];
    if (joinable(first)) while (this.queue.length > 0 && joinable(this.queue[0]!)) parts.push(this.queue.shift()!.data);
    // Counted as they were queued (a string by its length), whatever they become when joined.
    for (const part of parts) this.queuedBytes -= part.length;
    const data = parts.length === 1 ? first.data : joined(parts);
    return { data, offset: 0, fds: first.fds, sent: first.sent };
  }
}

/**
 * Bytes to send (a string while nothing asks for bytes: it is written as UTF-8 without a Buffer
 * between), with the fds that go with their first byte and who waits for them to go.
 */
interface Segment {
  data: string | Buffer;
  fds: readonly number[] | undefined;
  sent: ((error?: Error | null) => void) | undefined;
}

/** Segments joined for one sendmsg, and how far it got. */
interface Batch extends Segment {
  offset: number;
}

/** Chunks as segments: each chunk with fds starts one (they must go with its first byte); the others join the one before. */
function segmentsOf(chunks: readonly unknown[]): Segment[] {
  const segments: Array<{ parts: Array<string | Buffer>; fds: readonly number[] | undefined; sent: Segment["sent"] }> =
    [];
  for (const chunk of chunks) {
    const outgoing = chunk as Outgoing | string | Buffer;
    const { data, fds, sent } =
      typeof outgoing === "string" || Buffer.isBuffer(outgoing)
        ? { data: outgoing, fds: undefined, sent: undefined }
        : outgoing;
    const last = segments[segments.length - 1];
    // A write someone waits on, or one with fds, is a segment of its own (so that it can fail
    // alone). Fds go with bytes.
    if (
      last === undefined ||
      (fds !== undefined && fds.length > 0) ||
      sent !== undefined ||
      last.sent !== undefined ||
      (last.fds !== undefined && last.fds.length > 0)
    ) {
      segments.push({
        parts: [fds !== undefined && fds.length > 0 && typeof data === "string" ? Buffer.from(data, "utf8") : data],
        fds,
        sent,
      });
    } else last.parts.push(data);
  }
  return segments.map(({ parts, fds, sent }) => ({ data: parts.length === 1 ? parts[0]! : joined(parts), fds, sent }));
}

/** Parts as one: strings stay a string (joining them is cheap); with any bytes among them, bytes. */
function joined(parts: ReadonlyArray<string | Buffer>): string | Buffer {
  if (parts.every((part) => typeof part === "string")) return parts.join("");
  return Buffer.concat(parts.map((part) => (typeof part === "string" ? Buffer.from(part, "utf8") : part)));
}

/** Whether a segment can join the sendmsg of the one before: it has no fds and nobody waits on it. */
function joinable(segment: Segment): boolean {
  return (segment.fds === undefined || segment.fds.length === 0) && segment.sent === undefined;
}

/** A chunk's size in bytes; decoded (setEncoding), as near as its text tells. */
function byteLength(chunk: Buffer | string): number {
  return typeof chunk === "string" ? Buffer.byteLength(chunk) : chunk.length;
}

/** recv, whose fds go in `fds`: those a failed read handed over before it failed are closed, as they go with no chunk. */
function receive(fd: number, buffer: Buffer, fds: number[]): number {
  try {
    return binding.recv(fd, buffer, fds);
  } catch (error) {
    for (const one of fds.splice(0)) closeQuietly(one);
    throw error;
  }
}

function closeQuietly(fd: number): void {
  try {
    binding.close(fd);
  } catch {
    // Already closed: nothing is left to release.
  }
}
