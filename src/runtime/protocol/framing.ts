import { NestingTooDeepError, ProtocolError } from "./errors.js";
import { defaultMaxMessageSize, parseMessage } from "./encoding.js";

export { defaultMaxMessageSize };

const refused = Symbol("refused");

function parse(bytes: Buffer, onTooDeep: ((error: NestingTooDeepError) => void) | undefined): unknown {
  try {
    return parseMessage(bytes.toString("utf8"));
  } catch (error) {
    if (onTooDeep === undefined || !(error instanceof NestingTooDeepError)) throw error;
    onTooDeep(error);
    return refused;
  }
}

/**
 * Splits a byte stream into NUL-terminated JSON messages. Each chunk is scanned once, and
 * the parts of a message that spans chunks are joined once, when its NUL arrives, so the cost
 * stays linear however the stream is cut. Bytes held while waiting never exceed the limit.
 */
export class MessageReader {
  private pending: Buffer[] = [];
  private pendingLength = 0;
  /** Bytes after an upgrade call, kept raw until the call is settled (see hold). */
  private held: Buffer[] | undefined;
  private heldLength = 0;

  constructor(private readonly maxMessageSize = defaultMaxMessageSize) {}

  /**
   * Calls `onMessage` with each complete message's parsed JSON; throws ProtocolError on bad
   * input. A message nested too deep is well framed: with `onTooDeep`, it goes there and reading
   * goes on; without, it throws like any other.
   */
  push(chunk: Buffer, onMessage: (message: unknown) => void, onTooDeep?: (error: NestingTooDeepError) => void): void {
    if (this.held !== undefined) return this.keep(chunk);
    let start = 0;
    let end = chunk.indexOf(0, start);
    while (end !== -1) {
      const length = this.pendingLength + (end - start);
      if (length > this.maxMessageSize) throw this.tooLarge(length);
      let bytes: Buffer;
      if (this.pendingLength === 0) {
        bytes = chunk.subarray(start, end);
      } else {
        this.pending.push(chunk.subarray(start, end));
        bytes = Buffer.concat(this.pending, length);
        this.pending = [];
        this.pendingLength = 0;
      }
      const message = parse(bytes, onTooDeep);
      if (message !== refused) onMessage(message);
      start = end + 1;
      if (this.held !== undefined) return this.keep(chunk.subarray(start));
      end = chunk.indexOf(0, start);
    }
    if (start < chunk.length) {
      const rest = chunk.length - start;
      if (this.pendingLength + rest > this.maxMessageSize) throw this.tooLarge(this.pendingLength + rest);
      // Copy, so that a byte-at-a-time sender cannot pin a large read buffer per byte.
      this.pending.push(Buffer.from(chunk.subarray(start)));
      this.pendingLength += rest;
    }
  }

  /**
   * Reads no further message: what follows the one just read is kept as bytes, since after an
   * upgrade call they belong to the upgraded protocol, NULs and all. Called from `onMessage`.
   */
  hold(): void {
    this.held ??= [];
  }

  /** Whether `hold` is in force: an upgrade call read and not yet settled. */
  get holding(): boolean {
    return this.held !== undefined;
  }

  /** The upgrade call was refused: what was held is read as messages after all. */
  release(onMessage: (message: unknown) => void, onTooDeep?: (error: NestingTooDeepError) => void): void {
    const held = this.held === undefined ? undefined : Buffer.concat(this.held, this.heldLength);
    this.held = undefined;
    this.heldLength = 0;
    if (held !== undefined && held.length > 0) this.push(held, onMessage, onTooDeep);
  }

  /** Bytes received after the last complete message (what an upgraded protocol starts with). */
  takeRemainder(): Buffer {
    const rest = Buffer.concat([...this.pending, ...(this.held ?? [])], this.pendingLength + this.heldLength);
    this.pending = [];
    this.pendingLength = 0;
    this.held = undefined;
    this.heldLength = 0;
    return rest;
  }

  private keep(bytes: Buffer): void {
    if (bytes.length === 0) return;
    if (this.heldLength + bytes.length > this.maxMessageSize) throw this.tooLarge(this.heldLength + bytes.length);
    this.held!.push(Buffer.from(bytes));
    this.heldLength += bytes.length;
  }

  get buffered(): number {
    return this.pendingLength;
  }

  private tooLarge(length: number): ProtocolError {
    return new ProtocolError(`message of at least ${length} bytes exceeds the limit of ${this.maxMessageSize} bytes`);
  }
}
