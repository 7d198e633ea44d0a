import { checkByteSize, tooDeep, utf8Length } from "./encoding.js";
import { maxNestingDepth, nestsDeeperThan } from "./json.js";

// A message holding a very long string (a file's text, a log) encoded straight into bytes. Its
// JSON text as one string would cost the string's size three times over in V8 before a byte is
// written: JSON.stringify builds its result from 16 KB parts, which survive a few collections
// each and are then copied whole once more when the result is read. Here the long strings are
// encoded a slice at a time into one buffer of the exact size (measured first, so that a message
// over the limit is refused before anything is sent).

/** Strings at least this long (UTF-16 units) are encoded a slice at a time. */
export const longString = 256 * 1024;

/** Values walked looking for long strings, at most: a message with more items has none worth it. */
const walkLimit = 10_000;

/**
 * `message`'s JSON text and its NUL as bytes, when it holds a string of `longString` units or
 * more; undefined when it does not (or holds bigints, which encodeMessage handles), and the
 * caller encodes it as usual. Throws MessageLimitError as encodeMessage does.
 */
export function encodeLargeMessage(message: object, maxSize: number): Uint8Array | undefined {
  // Most messages hold no long string: they cost one walk that allocates nothing.
  if (longStrings(message, undefined, { left: walkLimit }, maxNestingDepth) !== true) return undefined;
  const strings = new Set<string>();
  longStrings(message, strings, { left: walkLimit }, maxNestingDepth);
  const marker = `\u0000vlts-long-string:`;
  const found: string[] = [];
  let skeleton: string;
  try {
    skeleton = JSON.stringify(message, (_key, value: unknown) => {
      if (typeof value !== "string" || !strings.has(value)) return value;
      found.push(value);
      return `${marker}${found.length - 1}`;
    });
  } catch {
    return undefined;
  }
  // The escaped marker, as JSON.stringify wrote it, splits the skeleton around each long string.
  const parts = skeleton.split(new RegExp(`"${JSON.stringify(marker).slice(1, -1).replace(/\\/g, "\\\\")}\\d+"`));
  // A string of the message's own that looked like the marker would have split it too: encode as usual.
  if (parts.length !== found.length + 1) return undefined;
  if (nestsDeeperThan(message, maxNestingDepth)) throw tooDeep(maxNestingDepth);
  let size = 0;
  for (const part of parts) size += utf8Length(part);
  for (const text of found) for (const slice of jsonSlices(text)) size += utf8Length(slice);
  checkByteSize(size, maxSize);
  const bytes = allocate(size + 1);
  let offset = 0;
  parts.forEach((part, index) => {
    offset += writeText(bytes, part, offset);
    if (index < found.length) for (const slice of jsonSlices(found[index]!)) offset += writeText(bytes, slice, offset);
  });
  bytes[size] = 0;
  return bytes;
}

/**
 * Whether `value` holds a long string (adding each to `into`, when given), or "too many" when it
 * holds more values than are worth walking.
 */
function longStrings(
  value: unknown,
  into: Set<string> | undefined,
  budget: { left: number },
  depth: number,
): boolean | "too many" {
  if (--budget.left < 0) return "too many";
  if (typeof value === "string") {
    if (value.length < longString) return false;
    into?.add(value);
    return true;
  }
  if (typeof value !== "object" || value === null || depth <= 0) return false;
  // Arrays by index (for...in would make each index a string); objects by their own keys, as JSON.stringify reads them.
  const keys = Array.isArray(value) ? undefined : Object.keys(value);
  const count = keys === undefined ? (value as unknown[]).length : keys.length;
  let found = false;
  for (let i = 0; i < count; i++) {
    const item = keys === undefined ? (value as unknown[])[i] : (value as Record<string, unknown>)[keys[i]!];
    const result = longStrings(item, into, budget, depth - 1);
    if (result === "too many" || (result && into === undefined)) return result;
    found ||= result;
  }
  return found;
}

/**
 * A string's JSON text in slices: the opening quote, each slice of its content escaped as
 * JSON.stringify escapes it (never splitting a surrogate pair, which would turn into two
 * escapes), the closing quote.
 */
function* jsonSlices(text: string): Generator<string> {
  yield '"';
  for (let start = 0; start < text.length; ) {
    let end = Math.min(start + longString, text.length);
    const last = text.charCodeAt(end - 1);
    if (end < text.length && last >= 0xd800 && last <= 0xdbff) end--;
    yield JSON.stringify(text.slice(start, end)).slice(1, -1);
    start = end;
  }
  yield '"';
}

type Bytes = Uint8Array & { write?(text: string, offset: number): number };
const nodeBuffer = (globalThis as { Buffer?: { allocUnsafe(size: number): Bytes } }).Buffer;

function allocate(size: number): Bytes {
  // Node's Buffer where there is one: what Node's streams take as it is.
  return nodeBuffer !== undefined ? nodeBuffer.allocUnsafe(size) : new Uint8Array(size);
}

function writeText(bytes: Bytes, text: string, offset: number): number {
  if (bytes.write !== undefined) return bytes.write(text, offset);
  return new TextEncoder().encodeInto(text, bytes.subarray(offset)).written;
}
