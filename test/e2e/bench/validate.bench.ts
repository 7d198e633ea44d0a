import Ajv from "ajv";
import { isMyType, MyTypeSchema } from "../../generated/org.varlink.certification.js";
import { test09Reply } from "../certification/expected.js";
import { median } from "../../bench/measure.js";

// npm run bench:validate: the generated validator for org.varlink.certification's MyType next to
// ajv compiled from an equivalent JSON Schema, on the same values, in one run.

const struct = {
  type: "object",
  additionalProperties: false,
  required: ["first", "second"],
  properties: { first: { type: "integer" }, second: { type: "string" } },
};
const schema = {
  type: "object",
  additionalProperties: false,
  required: ["object", "enum", "struct", "array", "dictionary", "stringset", "interface"],
  properties: {
    object: { type: "object" },
    enum: { enum: ["one", "two", "three"] },
    struct,
    array: { type: "array", items: { type: "string" } },
    dictionary: { type: "object", additionalProperties: { type: "string" } },
    stringset: { type: "object", additionalProperties: { type: "object", maxProperties: 0 } },
    nullable: { type: ["string", "null"] },
    nullable_array_struct: { anyOf: [{ type: "null" }, { type: "array", items: struct }] },
    interface: {
      type: "object",
      additionalProperties: false,
      required: ["anon"],
      properties: {
        foo: {
          anyOf: [
            { type: "null" },
            {
              type: "array",
              items: {
                anyOf: [{ type: "null" }, { type: "object", additionalProperties: { enum: ["foo", "bar", "baz"] } }],
              },
            },
          ],
        },
        anon: {
          type: "object",
          additionalProperties: false,
          required: ["foo", "bar"],
          properties: { foo: { type: "boolean" }, bar: { type: "boolean" } },
        },
      },
    },
  },
};

const base = test09Reply.mytype;
const valid: unknown[] = [
  base,
  {
    ...base,
    nullable: "set",
    nullable_array_struct: [
      { first: 1, second: "a" },
      { first: 2, second: "b" },
    ],
  },
  {
    ...base,
    array: Array.from({ length: 20 }, (_, i) => `item ${i}`),
    dictionary: Object.fromEntries(Array.from({ length: 10 }, (_, i) => [`k${i}`, `v${i}`])),
  },
  { ...base, interface: { anon: { foo: false, bar: true } } },
];
const invalid: unknown[] = [
  { ...base, enum: "four" },
  { ...base, struct: { first: "1", second: "2" } },
  { ...base, interface: { ...base.interface, foo: [{ x: "qux" }] } },
  { ...base, extra: true },
];

const ajv = new Ajv.default({ allErrors: false, strict: false });
const ajvCheck = ajv.compile(schema);
const exact = { exact: true };
for (const v of valid)
  if (!isMyType(v, exact) || !ajvCheck(v)) throw new Error(`both must accept ${JSON.stringify(v)}`);
for (const v of invalid)
  if (isMyType(v, exact) || ajvCheck(v)) throw new Error(`both must refuse ${JSON.stringify(v)}`);
for (const v of invalid)
  if (MyTypeSchema.validate(v, exact).success) throw new Error("the report must find the problem");

function checksPerSecond(check: (value: unknown) => boolean, values: unknown[]): number {
  const iterations = 200_000;
  let accepted = 0;
  const start = performance.now();
  for (let i = 0; i < iterations; i++) if (check(values[i % values.length])) accepted++;
  const seconds = (performance.now() - start) / 1000;
  if (accepted < 0) throw new Error("unreachable; keeps the loop from being optimised away");
  return iterations / seconds;
}

const ours = (v: unknown): boolean => isMyType(v, exact);
const theirs = (v: unknown): boolean => ajvCheck(v);
for (const [label, values, target] of [
  ["valid", valid, 2.4],
  ["invalid", invalid, undefined],
] as const) {
  checksPerSecond(ours, values);
  checksPerSecond(theirs, values);
  const samples = { ours: [] as number[], ajv: [] as number[] };
  for (let round = 0; round < 7; round++) {
    samples.ours.push(checksPerSecond(ours, values));
    samples.ajv.push(checksPerSecond(theirs, values));
  }
  const [o, a] = [median(samples.ours), median(samples.ajv)];
  console.log(
    `MyType, ${label} values: varlink-ts ${Math.round(o).toLocaleString("en")} checks/s, ajv ${Math.round(a).toLocaleString("en")} checks/s, ratio ${(o / a).toFixed(2)}` +
      (target ? ` (target >= ${target})` : ""),
  );
}
