import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { NestingTooDeepError, parseJson, stringifyJson } from "@varlink-ts/runtime";
import { hasBigIntegers, maxNestingDepth } from "@varlink-ts/runtime/wire";

// JSON that never rounds: integer literals beyond ±(2^53-1) become bigints, and bigints are
// written as the integers they are.

test("integers beyond the safe range become bigints; the largest safe one stays a number", () => {
  const value = parseJson(
    '{"a": 18446744073709551615, "b": -9223372036854775808, "c": 9007199254740991, "d": 9007199254740992}',
  ) as Record<string, unknown>;
  assert.deepEqual(value, {
    a: 18446744073709551615n,
    b: -9223372036854775808n,
    c: 9007199254740991,
    d: 9007199254740992n,
  });
});

test("digits in strings, fractions and exponents are left alone", () => {
  const text = '{"id": "18446744073709551615", "f": 18446744073709551615.5, "e": 1e300, "k\\"9007199254740993": 1}';
  assert.deepEqual(parseJson(text), JSON.parse(text));
  assert.equal(hasBigIntegers(parseJson(text)), false);
});

test("every object that holds a bigint, at any depth, is marked; others are not", () => {
  const value = parseJson('{"parameters": {"deep": [{"n": 18446744073709551615}], "flat": {"n": 1}}}') as {
    parameters: { deep: object[]; flat: object };
  };
  assert.ok(
    hasBigIntegers(value) &&
      hasBigIntegers(value.parameters) &&
      hasBigIntegers(value.parameters.deep) &&
      hasBigIntegers(value.parameters.deep[0]),
  );
  assert.equal(hasBigIntegers(value.parameters.flat), false);
});

test("a string that looks like the internal marker stays a string", () => {
  const text = '{"s": "\\u0000vlts-int:5", "n": 18446744073709551615}';
  assert.deepEqual(parseJson(text), { s: "\u0000vlts-int:5", n: 18446744073709551615n });
});

test("bigints are written as integers, and a string that looks like the marker is not", () => {
  assert.equal(
    stringifyJson({ n: 18446744073709551615n, s: "\u0000vlts-bigint0:7" }),
    '{"n":18446744073709551615,"s":"\\u0000vlts-bigint0:7"}',
  );
  assert.equal(stringifyJson({ n: 1n }, 2), '{\n  "n": 1\n}');
});

test("parse and stringify round-trip any integer exactly", () => {
  fc.assert(
    fc.property(fc.array(fc.bigInt({ min: -(2n ** 64n), max: 2n ** 64n })), (integers) => {
      const text = stringifyJson({ integers });
      const back = (parseJson(text) as { integers: Array<bigint | number> }).integers.map((i) => BigInt(i));
      assert.deepEqual(back, integers);
    }),
  );
});

test("invalid JSON is still refused", () => {
  assert.throws(() => parseJson('{"n": 18446744073709551615'), SyntaxError);
});

const nestedText = (levels: number, leaf = "0"): string => "[".repeat(levels) + leaf + "]".repeat(levels);

test("JSON nested exactly to the limit parses; one level more is refused with the limit", () => {
  assert.ok(Array.isArray(parseJson(nestedText(maxNestingDepth))));
  assert.throws(
    () => parseJson(nestedText(maxNestingDepth + 1)),
    (e: Error) =>
      e instanceof NestingTooDeepError &&
      e.limit === maxNestingDepth &&
      /nested deeper than 512 levels/.test(e.message),
  );
});

test("JSON nested a million levels deep is refused without exhausting the stack", () => {
  assert.throws(() => parseJson(nestedText(1_000_000)), NestingTooDeepError);
});

test("the bigint path is bounded too: a deep value holding a 64-bit integer is refused", () => {
  assert.throws(() => parseJson(nestedText(100_000, "18446744073709551615")), NestingTooDeepError);
  assert.deepEqual(parseJson(nestedText(3, "18446744073709551615")), [[[18446744073709551615n]]]);
});

test("a __proto__ key holding a 64-bit integer stays an own key", () => {
  const value = parseJson('{"__proto__": 18446744073709551615}') as Record<string, unknown>;
  assert.equal(Object.getPrototypeOf(value), Object.prototype);
  assert.deepEqual(Object.getOwnPropertyDescriptor(value, "__proto__")?.value, 18446744073709551615n);
});
