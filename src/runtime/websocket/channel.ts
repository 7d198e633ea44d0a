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

export class WebSocketChannel {
  private readonly reader: FrameReader;
  private readonly maxMessage: number;
  private fragments: Buffer[] = [];
  private fragmentsLength = 0;
  private fragmentOpcode = 0;
  private closing = false;
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
    if (head.length > 0) queueMicrotask(() => this.receive(head));
  }

  sendText(text: string): void {
    this.write(opcodes.text, Buffer.from(text, "utf8"));
  }

  sendBinary(bytes: Buffer): void {
    this.write(opcodes.binary, bytes);
  }

  /** Starts the close handshake; the socket ends once the peer answers (or at once if gone). */
  close(code = 1000, reason = ""): void {
    if (this.closing) return;
    this.closing = true;
    const payload = Buffer.alloc(2 + Buffer.byteLength(reason));
    payload.writeUInt16BE(code, 0);
    payload.write(reason, 2);
    if (this.socket.writable) this.socket.write(encodeFrame(opcodes.close, payload, this.options.role === "client"));
    this.socket.end();
    setTimeout(() => this.socket.destroy(), 1000).unref();
  }

  private write(opcode: number, payload: Buffer): void {
    if (!this.closing && this.socket.writable) this.socket.write(encodeFrame(opcode, payload, this.options.role === "client"));
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
        return this.write(opcodes.pong, payload);
      case opcodes.pong:
        return;
      case opcodes.close: {
        const code = payload.length >= 2 ? payload.readUInt16BE(0) : 1005;
        const reason = payload.subarray(2).toString("utf8");
        this.close(code === 1005 ? 1000 : code);
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
    if (this.fragmentsLength > this.maxMessage) throw new FrameError(`a message over the limit of ${this.maxMessage} bytes`, 1009);
    this.fragments.push(payload);
    if (!fin) return;
    const whole = this.fragments.length === 1 ? this.fragments[0]! : Buffer.concat(this.fragments);
    const kind = this.fragmentOpcode;
    this.fragments = [];
    this.fragmentsLength = 0;
    this.fragmentOpcode = 0;
    if (kind === opcodes.text) {
      const text = new TextDecoder("utf-8", { fatal: true }).decode(whole);
      this.onMessage({ text });
    } else this.onMessage({ binary: whole });
  }

  private finished = false;

  private finish(code: number, reason: string): void {
    if (this.finished) return;
    this.finished = true;
    this.onClose(code, reason);
  }
}
