import { MessageLimitError, NestingTooDeepError, ProtocolError } from "./errors.js";
import { maxNestingDepth, nestsDeeperThan, parseJson, stringifyJson } from "./json.js";

// A message's text, both ways, within the limits every peer keeps. Node-free: connections over
// WebSocket and HTTP use it as well as sockets do.

/** systemd and libvarlink refuse messages above 16 MiB; so do we, both ways, unless told otherwise. */
export const defaultMaxMessageSize = 16 * 1024 * 1024;

/**
 * A message's JSON, integers beyond the safe range kept exact (see json.ts). Throws
 * ProtocolError for text that is not JSON, NestingTooDeepError (a ProtocolError) beyond the
 * nesting limit.
 */
export function parseMessage(text: string): unknown {
  try {
    return parseJson(text);
  } catch (error) {
    if (error instanceof NestingTooDeepError) throw error;
    throw new ProtocolError(`invalid JSON in message: ${(error as Error).message}`);
  }
}

/**
 * A message on the wire: JSON and its terminating NUL. A message the peer would refuse (over
 * `maxSize` bytes, or nested deeper than maxNestingDepth) is refused here instead, with
 * MessageLimitError, so that it never costs the peer its connection.
 */
export function encodeMessage(message: object, maxSize = defaultMaxMessageSize): string {
  return `${encodeJson(message, maxSize, maxNestingDepth)}\0`;
}

/** JSON text within `maxSize` bytes and `maxDepth` levels, else MessageLimitError. */
export function encodeJson(value: object, maxSize: number, maxDepth: number): string {
  let text: string;
  try {
    text = stringifyJson(value);
  } catch (error) {
    // JSON.stringify recurses: values thousands of levels deep overflow the stack.
    if (error instanceof RangeError && !/string length/i.test(error.message)) throw tooDeep(maxDepth);
    throw error;
  }
  if (text.length > 2 * maxDepth && nestsDeeperThan(value, maxDepth)) throw tooDeep(maxDepth);
  checkSize(text, maxSize);
  return text;
}

/** Refuses (MessageLimitError) text over `maxSize` bytes of UTF-8, counting `extra` bytes still to come. */
export function checkSize(text: string, maxSize: number, extra = 0): void {
  // A UTF-16 unit is at most 3 bytes of UTF-8: most messages need no count.
  if (text.length * 3 + extra <= maxSize) return;
  checkByteSize(utf8Length(text) + extra, maxSize);
}

/** Refuses (MessageLimitError) a message of `size` bytes when that is over `maxSize`. */
export function checkByteSize(size: number, maxSize: number): void {
  if (size > maxSize)
    throw new MessageLimitError(`the message is ${size} bytes, over the limit of ${maxSize}`, {
      kind: "size",
      size,
      max: maxSize,
    });
}

export function tooDeep(maxDepth: number): MessageLimitError {
  return new MessageLimitError(`the message nests deeper than ${maxDepth} levels`, { kind: "depth", max: maxDepth });
}

/** The length of `text` in UTF-8, without encoding it. */
export function utf8Length(text: string): number {
  const nodeBuffer = (globalThis as { Buffer?: { byteLength(text: string): number } }).Buffer;
  if (nodeBuffer !== undefined) return nodeBuffer.byteLength(text);
  let length = 0;
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    if (unit < 0x80) length += 1;
    else if (unit < 0x800) length += 2;
    else if (unit >= 0xd800 && unit <= 0xdbff && i + 1 < text.length) {
      length += 4;
      i++;
    } else length += 3;
  }
  return length;
}
