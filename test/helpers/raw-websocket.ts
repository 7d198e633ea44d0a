import { randomBytes } from "node:crypto";
import net from "node:net";
import { eventually } from "./runtime.js";

// A WebSocket client that sends exactly the bytes a test says, for what well-behaved clients
// never do: bad handshakes, bad close codes, pings without reading.

export const opcodes = { text: 0x1, binary: 0x2, close: 0x8, ping: 0x9, pong: 0xa } as const;

/** One masked client frame. */
export function clientFrame(opcode: number, payload: Buffer = Buffer.alloc(0), fin = true): Buffer {
  const length = payload.length;
  const lengthBytes = length < 126 ? 0 : length < 0x10000 ? 2 : 8;
  const head = Buffer.alloc(2 + lengthBytes + 4);
  head[0] = (fin ? 0x80 : 0) | opcode;
  head[1] = 0x80 | (lengthBytes === 0 ? length : lengthBytes === 2 ? 126 : 127);
  if (lengthBytes === 2) head.writeUInt16BE(length, 2);
  else if (lengthBytes === 8) head.writeBigUInt64BE(BigInt(length), 2);
  const mask = randomBytes(4);
  mask.copy(head, 2 + lengthBytes);
  const body = Buffer.from(payload);
  for (let i = 0; i < length; i++) body[i]! ^= mask[i & 3]!;
  return Buffer.concat([head, body]);
}

/** A close frame's payload: the code, or any two bytes (and a reason). */
export function closePayload(code: number, reason = ""): Buffer {
  const payload = Buffer.alloc(2 + Buffer.byteLength(reason));
  payload.writeUInt16BE(code, 0);
  payload.write(reason, 2);
  return payload;
}

export interface ServerFrame {
  opcode: number;
  payload: Buffer;
}

/** A raw connection after a handshake: frames the server sent, read as they come. */
export class RawWebSocket {
  readonly frames: ServerFrame[] = [];
  closed = false;
  private buffer = Buffer.alloc(0);

  /**
   * Frames are kept in `frames`, or handed to `onFrame` and dropped. With `manual`, nothing is
   * read until the test feeds what it read itself (to read slowly).
   */
  constructor(
    readonly socket: net.Socket,
    rest: Buffer,
    private readonly options: { onFrame?: (frame: ServerFrame) => void; manual?: boolean } = {},
  ) {
    socket.on("close", () => (this.closed = true));
    socket.on("error", () => (this.closed = true));
    this.receive(rest);
    if (options.manual !== true) socket.on("data", (chunk: Buffer) => this.receive(chunk)).resume();
  }

  /** Parses bytes the test read from the socket itself (manual mode). */
  feed(chunk: Buffer): void {
    this.receive(chunk);
  }

  send(frame: Buffer): boolean {
    return this.socket.write(frame);
  }

  /** The close code the server sent, once it sent one. */
  async closeCode(): Promise<number | undefined> {
    await eventually(() => this.frames.some((f) => f.opcode === opcodes.close) || this.closed, "the server closes");
    const close = this.frames.find((f) => f.opcode === opcodes.close);
    return close === undefined || close.payload.length < 2 ? undefined : close.payload.readUInt16BE(0);
  }

  private receive(chunk: Buffer): void {
    this.buffer = Buffer.concat([this.buffer, chunk]);
    for (;;) {
      const b = this.buffer;
      if (b.length < 2) return;
      let length = b[1]! & 0x7f;
      let offset = 2;
      if (length === 126) {
        if (b.length < 4) return;
        length = b.readUInt16BE(2);
        offset = 4;
      } else if (length === 127) {
        if (b.length < 10) return;
        length = Number(b.readBigUInt64BE(2));
        offset = 10;
      }
      if (b.length < offset + length) return;
      const frame = { opcode: b[0]! & 0x0f, payload: b.subarray(offset, offset + length) };
      if (this.options.onFrame !== undefined) this.options.onFrame(frame);
      else this.frames.push(frame);
      this.buffer = b.subarray(offset + length);
    }
  }
}

/** Sends `request` (a whole HTTP request head) and reads the response head. */
export async function handshake(
  port: number,
  request: string,
): Promise<{ status: number; head: string; socket: net.Socket; rest: Buffer }> {
  const socket = net.connect(port, "127.0.0.1");
  await new Promise<void>((resolve, reject) => socket.once("connect", resolve).once("error", reject));
  socket.write(request);
  let received = Buffer.alloc(0);
  const end = await new Promise<number>((resolve, reject) => {
    const onData = (chunk: Buffer): void => {
      received = Buffer.concat([received, chunk]);
      const at = received.indexOf("\r\n\r\n");
      if (at >= 0) {
        socket.off("data", onData);
        socket.pause();
        resolve(at + 4);
      }
    };
    socket.on("data", onData);
    socket.once("close", () => reject(new Error(`the connection closed after: ${received.toString()}`)));
  });
  const head = received.subarray(0, end).toString("latin1");
  return { status: Number(/^HTTP\/1\.1 (\d{3})/.exec(head)?.[1]), head, socket, rest: received.subarray(end) };
}

/** The request head of a WebSocket handshake to `path`, with headers replaced or added. */
export function upgradeRequest(
  port: number,
  path: string,
  overrides: { method?: string; version?: string; headers?: Record<string, string | undefined> } = {},
): string {
  const headers: Record<string, string | undefined> = {
    Host: `127.0.0.1:${port}`,
    Upgrade: "websocket",
    Connection: "Upgrade",
    "Sec-WebSocket-Key": randomBytes(16).toString("base64"),
    "Sec-WebSocket-Version": "13",
    ...overrides.headers,
  };
  const lines = Object.entries(headers)
    .filter(([, value]) => value !== undefined)
    .map(([name, value]) => `${name}: ${value}\r\n`)
    .join("");
  return `${overrides.method ?? "GET"} ${path} HTTP/${overrides.version ?? "1.1"}\r\n${lines}\r\n`;
}

/** A tunnel opened with a proper handshake. */
export async function openRawWebSocket(
  port: number,
  path: string,
  options?: ConstructorParameters<typeof RawWebSocket>[2],
): Promise<RawWebSocket> {
  const { status, head, socket, rest } = await handshake(port, upgradeRequest(port, path));
  if (status !== 101) throw new Error(`no upgrade: ${head}`);
  return new RawWebSocket(socket, rest, options);
}
