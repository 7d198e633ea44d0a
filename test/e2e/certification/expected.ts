import type {
  Test05Output,
  Test06Output,
  Test07Output,
  Test08Output,
  Test09Output,
} from "../../generated/org.varlink.certification.js";

// The values org.varlink.certification passes along: each call's reply is the next call's input.
// They follow the reference servers (varlink/python, varlink/go).

export const test05Reply: Test05Output = { bool: false, int: 2, float: Math.PI, string: "a lot of string" };
export const test06Reply: Test06Output = { struct: { ...test05Reply } };
export const test07Reply: Test07Output = { map: { bar: "Bar", foo: "Foo" } };
export const test08Reply: Test08Output = { set: { one: {}, two: {}, three: {} } };
export const test09Reply: Test09Output = {
  mytype: {
    object: { method: "org.varlink.certification.Test09", parameters: { map: { foo: "Foo", bar: "Bar" } } },
    enum: "two",
    struct: { first: 1, second: "2" },
    array: ["one", "two", "three"],
    dictionary: { foo: "Foo", bar: "Bar" },
    stringset: { one: {}, two: {}, three: {} },
    nullable: null,
    nullable_array_struct: null,
    interface: {
      foo: [null, { Foo: "foo", Bar: "bar" }, null, { one: "foo", two: "bar" }],
      anon: { foo: true, bar: false },
    },
  },
};
export const test10Replies = Array.from({ length: 10 }, (_, i) => `Reply number ${i + 1}`);

/** JSON equality that ignores key order and treats an absent field like null. */
export function sameJson(a: unknown, b: unknown): boolean {
  if ((a === null || a === undefined) && (b === null || b === undefined)) return true;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return a === b;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((v, i) => sameJson(v, b[i]));
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  for (const key of keys) {
    if (!sameJson((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key])) return false;
  }
  return true;
}
