// JSON that never rounds an integer. JSON.parse turns 18446744073709551615 into
// 18446744073709552000 without a word; systemd sends UINT64_MAX as "infinity" in many places.
// An integer literal beyond ±(2^53 - 1) is parsed as a bigint instead, and the parameters
// object that holds one is remembered, so typed layers can refuse or convert it by its type.
// Messages without such a number (almost all) cost one regular-expression test more.

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
 * JSON.parse, except that integer literals beyond the safe range become bigints. Every object
 * or array that holds one (at any depth) is marked for hasBigIntegers.
 */
export function parseJson(text: string): unknown {
  if (!mayHoldUnsafeInteger(text)) return JSON.parse(text);
  let marker: string | undefined;
  let replaced = 0;
  const rewritten = text.replace(tokens, (token) => {
    if (token.charCodeAt(0) === 34 /* " */ || !isUnsafeInteger(token)) return token;
    marker ??= freshMarker(text);
    replaced++;
    return `"${marker}${token}"`;
  });
  if (replaced === 0) return JSON.parse(text);
  const decodedMarker = JSON.parse(`"${marker}"`) as string;
  return JSON.parse(rewritten, function revive(this: unknown, _key: string, value: unknown): unknown {
    if (typeof value === "string" && value.startsWith(decodedMarker)) return BigInt(value.slice(decodedMarker.length));
    if (typeof value === "object" && value !== null && holdsBigInteger(value)) withBigIntegers.add(value);
    return value;
  });
}

function isUnsafeInteger(token: string): boolean {
  if (token.length < 16 || /[.eE]/.test(token)) return false;
  const value = BigInt(token);
  return value > maxSafe || value < -maxSafe;
}

/** Children are revived first, so one level is enough to know. */
function holdsBigInteger(value: object): boolean {
  for (const key in value) {
    const child = (value as Record<string, unknown>)[key];
    if (typeof child === "bigint" || (typeof child === "object" && child !== null && withBigIntegers.has(child))) return true;
  }
  return false;
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
    const result = text.replace(new RegExp(`"${escaped.replace(/[\\^$.*+?()[\]{}|]/g, "\\$&")}(-?\\d+)"`, "g"), (_match, digits: string) => {
      found++;
      return digits;
    });
    // A string in the value that happened to look like the marker would have been rewritten too.
    if (found === written) return result;
  }
}
