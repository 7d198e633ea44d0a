import type { Duplex } from "node:stream";
import { encodeFrame, FrameError, FrameReader, opcodes } from "./frames.js";

// A WebSocket connection after its handshake: whole messages in and out, pings answered, a
// close handshake, and a size limit. Used by the bridge (server side) and the Node client.

export type WebSocketMessage = { text: string } | { binary: Buffer };

export interface ChannelOptions {
  /** The client side masks what it sends. */
  role: "client" | "server";
  /** Largest message accepted; a larger one closes with 1009. Default 16 MiB. */
  maxMessage?: number;
}

/**
 * Close codes a peer may send (RFC 6455 §7.4 and IANA's registry): 1005, 1006 and 1015 only
 * ever describe a close locally, 1004 and 1016-2999 are reserved, below 1000 and from 5000 on
 * are not codes at all.
 */
export function isValidCloseCode(code: number): boolean {
  return (code >= 1000 && code <= 1003) || (code >= 1007 && code <= 1014) || (code >= 3000 && code <= 4999);
}

export class WebSocketChannel {
  private readonly reader: FrameReader;
  private readonly maxMessage: number;
  private fragments: Buffer[] = [];
  private fragmentsLength = 0;
  private fragmentOpcode = 0;
  private closing = false;
  /** The payload of the last ping not yet answered because the socket could take nothing more. */
  private unansweredPing: Buffer | undefined;
  onMessage: (message: WebSocketMessage) => void = () => {};
  onClose: (code: number, reason: string) => void = () => {};

  constructor(
    readonly socket: Duplex,
    private readonly options: ChannelOptions,
    head: Buffer = Buffer.alloc(0),
  ) {
    this.maxMessage = options.maxMessage ?? 16 * 1024 * 1024;
    this.reader = new FrameReader(options.role === "server", this.maxMessage);
    socket.on("data", (chunk: Buffer) => this.receive(chunk));
    socket.on("close", () => this.finish(1006, "the connection was lost"));
    socket.on("error", () => socket.destroy());
    socket.on("drain", () => {
      const ping = this.unansweredPing;
      this.unansweredPing = undefined;
      if (ping !== undefined) this.write(opcodes.pong, ping);
    });
    if (head.length > 0) queueMicrotask(() => this.receive(head));
  }

  /** Sends a text message; false when the socket is full (wait for its 'drain' before sending more). */
  sendText(text: string): boolean {
    return this.write(opcodes.text, Buffer.from(text, "utf8"));
  }

  sendBinary(bytes: Buffer): boolean {
    return this.write(opcodes.binary, bytes);
  }

  /**
   * Starts the close handshake; the socket ends once the peer answers (or at once if gone).
   * Without a code the close frame carries none; a code a peer may not send is a bug.
   */
  close(code?: number, reason = ""): void {
    if (this.closing) return;
    if (code !== undefined && !isValidCloseCode(code))
      throw new RangeError(`${code} is not a close code that may be sent`);
    this.closing = true;
    let payload = Buffer.alloc(0);
    if (code !== undefined) {
      payload = Buffer.alloc(2 + Buffer.byteLength(reason));
      payload.writeUInt16BE(code, 0);
      payload.write(reason, 2);
    }
    if (this.socket.writable) this.socket.write(encodeFrame(opcodes.close, payload, this.options.role === "client"));
    this.socket.end();
    setTimeout(() => this.socket.destroy(), 1000).unref();
  }

  private write(opcode: number, payload: Buffer): boolean {
    if (this.closing || !this.socket.writable) return false;
    return this.socket.write(encodeFrame(opcode, payload, this.options.role === "client"));
  }

  /**
   * A ping is answered only while the pong can be written: a peer that pings without reading
   * gets one pong, for its latest ping, when it reads again (RFC 6455 §5.5.3 allows that).
   */
  private ping(payload: Buffer): void {
    if (this.socket.writableNeedDrain) this.unansweredPing = payload;
    else this.write(opcodes.pong, payload);
  }

  private receive(chunk: Buffer): void {
    try {
      for (const frame of this.reader.push(chunk)) this.frame(frame.fin, frame.opcode, frame.payload);
    } catch (error) {
      const code = error instanceof FrameError ? error.closeCode : 1002;
      this.close(code, error instanceof Error ? error.message.slice(0, 100) : "");
      this.socket.destroy();
    }
  }

  private frame(fin: boolean, opcode: number, payload: Buffer): void {
    switch (opcode) {
      case opcodes.ping:
        return this.ping(payload);
      case opcodes.pong:
        return;
      case opcodes.close: {
        if (payload.length === 1) throw new FrameError("a close frame with a one-byte payload", 1002);
        const code = payload.length >= 2 ? payload.readUInt16BE(0) : 1005;
        if (payload.length >= 2 && !isValidCloseCode(code))
          throw new FrameError(`${code} is not a valid close code`, 1002);
        const reason = decodeUtf8(payload.subarray(2), "the close reason");
        // Echo the peer's code, as RFC 6455 §5.5.1 suggests; a close without one is answered without one.
        this.close(payload.length >= 2 ? code : undefined);
        return this.finish(code, reason);
      }
      case opcodes.text:
      case opcodes.binary:
        if (this.fragmentOpcode !== 0) throw new FrameError("a new message began inside a fragmented one", 1002);
        this.fragmentOpcode = opcode;
        break;
      case opcodes.continuation:
        if (this.fragmentOpcode === 0) throw new FrameError("a continuation frame without a message", 1002);
        break;
      default:
        throw new FrameError(`unknown opcode ${opcode}`, 1002);
    }
    this.fragmentsLength += payload.length;
    if (this.fragmentsLength > this.maxMessage)
      throw new FrameError(`a message over the limit of ${this.maxMessage} bytes`, 1009);
    this.fragments.push(payload);
    if (!fin) return;
    const whole = this.fragments.length === 1 ? this.fragments[0]! : Buffer.concat(this.fragments);
    const kind = this.fragmentOpcode;
    this.fragments = [];
    this.fragmentsLength = 0;
    this.fragmentOpcode = 0;
    if (kind === opcodes.text) this.onMessage({ text: decodeUtf8(whole, "a text message") });
    else this.onMessage({ binary: whole });
  }

  private finished = false;

  private finish(code: number, reason: string): void {
    if (this.finished) return;
    this.finished = true;
    this.onClose(code, reason);
  }
}

const utf8 = new TextDecoder("utf-8", { fatal: true });

/** Text frames and close reasons must be UTF-8; anything else closes with 1007 (RFC 6455 §8.1). */
function decodeUtf8(bytes: Uint8Array, what: string): string {
  try {
    return utf8.decode(bytes);
  } catch {
    throw new FrameError(`${what} is not valid UTF-8`, 1007);
  }
}
