// JSON that never rounds an integer, and never nests deeper than varlink-ts allows.
//
// JSON.parse turns 18446744073709551615 into 18446744073709552000 without a word; systemd sends
// UINT64_MAX as "infinity" in many places. An integer literal beyond ±(2^53 - 1) is parsed as a
// bigint instead, and the parameters object that holds one is remembered, so typed layers can
// refuse or convert it by its type. Messages without such a number (almost all) cost one
// regular-expression test more.
//
// Nesting: V8's JSON.parse does not recurse, so any depth parses safely, but everything after it
// does (JSON.stringify overflows the stack near 4,000 levels, a 10 KB message). So every value
// parsed here is refused beyond maxNestingDepth, by a walk whose own recursion stops at the
// limit; texts too short to nest that deep (2 characters a level) skip the walk.
import { NestingTooDeepError } from "./errors.js";

/**
 * How deep JSON may nest wherever varlink-ts reads or writes it: 512 objects and arrays, the
 * message's own braces included. Real varlink messages nest a handful of levels; systemd refuses
 * beyond 2,048 and serde_json (zlink) beyond 128. 512 leaves every recursive step after parsing
 * (encoding, validation, printing) far from the stack's end.
 */
export const maxNestingDepth = 512;

/** Whether `value` holds objects or arrays nested more than `limit` deep; recursion stops at the limit. */
export function nestsDeeperThan(value: unknown, limit: number): boolean {
  if (typeof value !== "object" || value === null) return false;
  if (limit <= 0) return true;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) if (nestsDeeperThan(value[i], limit - 1)) return true;
  } else {
    for (const key in value) if (nestsDeeperThan((value as Record<string, unknown>)[key], limit - 1)) return true;
  }
  return false;
}

/** Sixteen digits or more in a row: the shortest integer literal that can be beyond the safe range. */
const longDigitRun = /\d{16,}/g;
const maxSafeDigits = String(Number.MAX_SAFE_INTEGER);

/**
 * Whether the text may hold an integer beyond the safe range: a run of more than 16 digits, or
 * of 16 above 9007199254740991. Microsecond timestamps (16 digits, far below) stay on the fast
 * path; digits in strings or fractions only cost the exact check that follows.
 */
function mayHoldUnsafeInteger(text: string): boolean {
  longDigitRun.lastIndex = 0;
  for (let match = longDigitRun.exec(text); match !== null; match = longDigitRun.exec(text)) {
    const digits = match[0];
    if (digits.length > maxSafeDigits.length || digits > maxSafeDigits) return true;
  }
  return false;
}
/** Strings are skipped whole, so digits inside them are never taken for numbers. */
const tokens = /"(?:[^"\\]|\\[\s\S])*"|-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/g;

const maxSafe = 9007199254740991n;

/** Objects and arrays parsed here that hold a bigint somewhere below them. */
const withBigIntegers = new WeakSet<object>();

/** Whether a value parsed by parseJson holds an integer beyond the safe range somewhere. */
export function hasBigIntegers(value: unknown): boolean {
  return typeof value === "object" && value !== null && withBigIntegers.has(value);
}

/** Marks a value built from parsed ones as holding a bigint (the `parameters` of a message, say). */
export function markBigIntegers(value: object): void {
  withBigIntegers.add(value);
}

/** A marker that does not occur in `text`, so no string in it can be mistaken for a replaced number. */
function freshMarker(text: string): string {
  let marker = "\\u0000vlts-int:";
  for (let n = 0; text.includes(marker); n++) marker = `\\u0000vlts-int${n}:`;
  return marker;
}

/**
 * JSON.parse, except that integer literals beyond the safe range become bigints (every object or
 * array that holds one, at any depth, is marked for hasBigIntegers), and that values nested
 * deeper than `maxDepth` are refused with NestingTooDeepError.
 */
export function parseJson(text: string, maxDepth = maxNestingDepth): unknown {
  if (!mayHoldUnsafeInteger(text)) return checkedDepth(JSON.parse(text), text, maxDepth);
  let marker: string | undefined;
  let replaced = 0;
  const rewritten = text.replace(tokens, (token) => {
    if (token.charCodeAt(0) === 34 /* " */ || !isUnsafeInteger(token)) return token;
    marker ??= freshMarker(text);
    replaced++;
    return `"${marker}${token}"`;
  });
  if (replaced === 0) return checkedDepth(JSON.parse(text), text, maxDepth);
  const parsed: unknown = JSON.parse(rewritten);
  const revived = revive(parsed, JSON.parse(`"${marker}"`) as string, maxDepth);
  if (revived === tooDeep) throw new NestingTooDeepError(maxDepth, parsed);
  return revived;
}

function checkedDepth(value: unknown, text: string, maxDepth: number): unknown {
  if (text.length > 2 * maxDepth && nestsDeeperThan(value, maxDepth)) throw new NestingTooDeepError(maxDepth, value);
  return value;
}

const tooDeep = Symbol("too deep");

/**
 * Turns marked strings back into bigints, in place, and marks every container that holds one.
 * What JSON.parse's reviver does, but bounded: the reviver recurses without limit.
 */
function revive(value: unknown, marker: string, depth: number): unknown {
  if (typeof value === "string") return value.startsWith(marker) ? BigInt(value.slice(marker.length)) : value;
  if (typeof value !== "object" || value === null) return value;
  if (depth <= 0) return tooDeep;
  let holds = false;
  const revived = (child: unknown): unknown => {
    const result = revive(child, marker, depth - 1);
    if (typeof result === "bigint" || (typeof result === "object" && result !== null && withBigIntegers.has(result)))
      holds = true;
    return result;
  };
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const result = revived(value[i]);
      if (result === tooDeep) return tooDeep;
      value[i] = result;
    }
  } else {
    const object = value as Record<string, unknown>;
    for (const key in object) {
      const child = object[key];
      const result = revived(child);
      if (result === tooDeep) return tooDeep;
      // defineProperty, so that a "__proto__" key stays a key as JSON.parse made it.
      if (result !== child)
        Object.defineProperty(object, key, { value: result, writable: true, enumerable: true, configurable: true });
    }
  }
  if (holds) withBigIntegers.add(value);
  return value;
}

function isUnsafeInteger(token: string): boolean {
  if (token.length < 16 || /[.eE]/.test(token)) return false;
  const value = BigInt(token);
  return value > maxSafe || value < -maxSafe;
}

/**
 * JSON.stringify, except that bigints are written as the integers they are. JSON.stringify
 * refuses bigints, so values without one take the plain path at no extra cost.
 */
export function stringifyJson(value: unknown, space?: number): string {
  try {
    return JSON.stringify(value, null, space);
  } catch (error) {
    if (!(error instanceof TypeError) || !/BigInt/i.test(error.message)) throw error;
  }
  for (let attempt = 0; ; attempt++) {
    const marker = `\u0000vlts-bigint${attempt}:`;
    let written = 0;
    const text = JSON.stringify(
      value,
      (_key, item: unknown) => {
        if (typeof item !== "bigint") return item;
        written++;
        return `${marker}${item}`;
      },
      space,
    );
    const escaped = JSON.stringify(marker).slice(1, -1);
    let found = 0;
    const result = text.replace(
      new RegExp(`"${escaped.replace(/[\\^$.*+?()[\]{}|]/g, "\\$&")}(-?\\d+)"`, "g"),
      (_match, digits: string) => {
        found++;
        return digits;
      },
    );
    // A string in the value that happened to look like the marker would have been rewritten too.
    if (found === written) return result;
  }
}
