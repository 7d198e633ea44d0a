import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { defineInterface, type DescribedSchema } from "@varlink-ts/runtime";
import type { FieldModel, TypeModel } from "@varlink-ts/runtime/model";
import { typeSchema } from "../../src/openapi/index.js";

// Property: a varlink type written as JSON Schema (as OpenAPI documents and schema libraries
// write it) reads back as the same varlink type. The two directions are written independently:
// the toolchain's OpenAPI mapping, and the runtime's reader behind defineInterface.

const name = fc.stringMatching(/^[a-z][a-z0-9]{0,6}$/);
const doc = fc.option(fc.stringMatching(/^[A-Za-z][A-Za-z ]{0,20}[A-Za-z]$/), { nil: undefined });

const typeArbitrary: fc.Arbitrary<TypeModel> = fc.letrec<{ type: TypeModel; inner: TypeModel }>((tie) => ({
  type: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    tie("inner"),
    tie("inner").map((inner): TypeModel => ({ kind: "nullable", inner })),
  ),
  inner: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    fc.constantFrom<TypeModel>(
      { kind: "bool" },
      { kind: "int" },
      { kind: "float" },
      { kind: "string" },
      { kind: "object" },
      { kind: "any" },
      { kind: "set" },
    ),
    tie("type").map((element): TypeModel => ({ kind: "array", element })),
    tie("type").map((value): TypeModel => ({ kind: "map", value })),
    fc
      .uniqueArray(name, { minLength: 1, maxLength: 4 })
      .map((values): TypeModel => ({ kind: "enum", values: values.map((n) => ({ name: n })) })),
    fc.uniqueArray(fc.record({ name, type: tie("type"), doc }), { maxLength: 4, selector: (f) => f.name }).map(
      (fields): TypeModel => ({
        kind: "struct",
        fields: fields.map(
          ({ name, type, doc }): FieldModel => (doc === undefined ? { name, type } : { name, type, doc }),
        ),
      }),
    ),
  ),
})).type;

/** A schema library's schema whose JSON Schema is `schema`. */
function described(schema: Record<string, unknown>): DescribedSchema {
  return {
    "~standard": {
      version: 1,
      vendor: "test",
      validate: (value) => ({ value }),
      jsonSchema: { input: () => schema, output: () => schema },
    },
  };
}

/** `[string](x: ())` and `[string]()` are the same varlink type; the model writes the set form. */
function normalized(type: TypeModel): TypeModel {
  switch (type.kind) {
    case "array":
      return { kind: "array", element: normalized(type.element) };
    case "map": {
      const value = normalized(type.value);
      return value.kind === "struct" && value.fields.length === 0 ? { kind: "set" } : { kind: "map", value };
    }
    case "nullable":
      return { kind: "nullable", inner: normalized(type.inner) };
    case "struct":
      return { kind: "struct", fields: type.fields.map((f) => ({ ...f, type: normalized(f.type) })) };
    default:
      return type;
  }
}

test("varlink types written as JSON Schema read back as themselves", () => {
  fc.assert(
    fc.property(typeArbitrary, doc, (type, fieldDoc) => {
      const field: FieldModel =
        fieldDoc === undefined ? { name: "value", type } : { name: "value", type, doc: fieldDoc };
      const parameters = typeSchema({ kind: "struct", fields: [field] }, (n) => `#/$defs/${n}`);
      const Demo = defineInterface({
        name: "org.example.roundtrip",
        methods: { M: { parameters: described(parameters), reply: described({ type: "object", properties: {} }) } },
      });
      const method = Demo.model.members[0];
      assert.ok(method?.kind === "method");
      assert.deepEqual(method.input.fields, [{ ...field, type: normalized(type) }]);
    }),
    { numRuns: 500 },
  );
});
