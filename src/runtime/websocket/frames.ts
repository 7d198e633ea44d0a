import { createHash, randomBytes } from "node:crypto";

// RFC 6455 framing: enough of it for a message tunnel (text, binary, fragmentation, ping, pong,
// close), with a size limit enforced while bytes arrive.

export const opcodes = { continuation: 0x0, text: 0x1, binary: 0x2, close: 0x8, ping: 0x9, pong: 0xa } as const;

export interface Frame {
  fin: boolean;
  opcode: number;
  payload: Buffer;
}

export class FrameError extends Error {
  constructor(
    message: string,
    /** The close code to send: 1002 protocol error, 1009 too big. */
    readonly closeCode: number,
  ) {
    super(message);
  }
}

/** The Sec-WebSocket-Accept answer to a Sec-WebSocket-Key. */
export function acceptKey(key: string): string {
  return createHash("sha1").update(`${key}258EAFA5-E914-47DA-95CA-C5AB0DC85B11`).digest("base64");
}

export function newKey(): string {
  return randomBytes(16).toString("base64");
}

/** One frame; clients mask what they send, servers do not. */
export function encodeFrame(opcode: number, payload: Buffer, masked: boolean): Buffer {
  const length = payload.length;
  const lengthBytes = length < 126 ? 0 : length < 0x10000 ? 2 : 8;
  const head = Buffer.alloc(2 + lengthBytes + (masked ? 4 : 0));
  head[0] = 0x80 | opcode;
  head[1] = (masked ? 0x80 : 0) | (lengthBytes === 0 ? length : lengthBytes === 2 ? 126 : 127);
  if (lengthBytes === 2) head.writeUInt16BE(length, 2);
  else if (lengthBytes === 8) head.writeBigUInt64BE(BigInt(length), 2);
  if (!masked) return Buffer.concat([head, payload]);
  const mask = randomBytes(4);
  mask.copy(head, 2 + lengthBytes);
  const body = Buffer.allocUnsafe(length);
  for (let i = 0; i < length; i++) body[i] = payload[i]! ^ mask[i & 3]!;
  return Buffer.concat([head, body]);
}

/**
 * Splits bytes into frames. `expectMasked` is true on the server, where RFC 6455 requires masks.
 * Bytes of an incomplete frame wait in a list and are joined once, when the frame is whole, so a
 * large frame that arrives in many chunks costs no more than one that arrives at once.
 */
export class FrameReader {
  private buffer: Buffer = Buffer.alloc(0);
  private waiting: Buffer[] = [];
  private waitingLength = 0;
  /** Bytes the frame being received needs in all, once its header is known. */
  private needed = 0;

  constructor(
    private readonly expectMasked: boolean,
    private readonly maxPayload: number,
  ) {}

  push(chunk: Buffer): Frame[] {
    if (this.waiting.length > 0 || (this.needed > 0 && this.buffer.length + chunk.length < this.needed)) {
      this.waiting.push(chunk);
      this.waitingLength += chunk.length;
      if (this.buffer.length + this.waitingLength < this.needed) return [];
      chunk = Buffer.concat([this.buffer, ...this.waiting]);
      this.buffer = Buffer.alloc(0);
      this.waiting = [];
      this.waitingLength = 0;
    }
    this.buffer = this.buffer.length === 0 ? chunk : Buffer.concat([this.buffer, chunk]);
    const frames: Frame[] = [];
    for (;;) {
      const frame = this.next();
      if (frame === undefined) return frames;
      frames.push(frame);
    }
  }

  private next(): Frame | undefined {
    this.needed = 0;
    const b = this.buffer;
    if (b.length < 2) return undefined;
    const fin = (b[0]! & 0x80) !== 0;
    if ((b[0]! & 0x70) !== 0) throw new FrameError("reserved bits are set (no extension was agreed)", 1002);
    const opcode = b[0]! & 0x0f;
    const masked = (b[1]! & 0x80) !== 0;
    if (masked !== this.expectMasked)
      throw new FrameError(masked ? "a server frame is masked" : "a client frame is not masked", 1002);
    let length = b[1]! & 0x7f;
    let offset = 2;
    if (length === 126) {
      if (b.length < 4) return undefined;
      length = b.readUInt16BE(2);
      offset = 4;
    } else if (length === 127) {
      if (b.length < 10) return undefined;
      const big = b.readBigUInt64BE(2);
      if (big > BigInt(this.maxPayload))
        throw new FrameError(`a frame of ${big} bytes is over the limit of ${this.maxPayload}`, 1009);
      length = Number(big);
      offset = 10;
    }
    if (length > this.maxPayload)
      throw new FrameError(`a frame of ${length} bytes is over the limit of ${this.maxPayload}`, 1009);
    if (opcode >= 0x8 && (length > 125 || !fin))
      throw new FrameError("a control frame is fragmented or longer than 125 bytes", 1002);
    const maskOffset = offset;
    if (masked) offset += 4;
    if (b.length < offset + length) {
      this.needed = offset + length;
      return undefined;
    }
    const payload = Buffer.from(b.subarray(offset, offset + length));
    if (masked) for (let i = 0; i < length; i++) payload[i]! ^= b[maskOffset + (i & 3)]!;
    this.buffer = b.subarray(offset + length);
    return { fin, opcode, payload };
  }
}
