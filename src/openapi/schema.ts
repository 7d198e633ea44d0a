import { docProse, mapType, type TypeModel } from "@varlink-ts/runtime/model";

// varlink types as JSON Schema (the 2020-12 dialect OpenAPI 3.1 uses).

export type JsonSchema = { [key: string]: unknown };

/** `any` is every JSON value but null (UAPI.20). */
const anyValue: JsonSchema = { type: ["boolean", "integer", "number", "string", "object", "array"] };

const primitives: Record<string, JsonSchema> = {
  bool: { type: "boolean" },
  int: { type: "integer", format: "int64" },
  float: { type: "number", format: "double" },
  string: { type: "string" },
  object: { type: "object" },
  any: anyValue,
};

/** The schema of a varlink type; `reference` gives the `$ref` target of a declared type's name. */
export function typeSchema(type: TypeModel, reference: (name: string) => string): JsonSchema {
  return mapType<JsonSchema>(type, {
    leaf: (leaf) => {
      switch (leaf.kind) {
        case "named":
          return { $ref: reference(leaf.name) };
        case "set":
          return { type: "object", additionalProperties: { type: "object", properties: {} } };
        case "enum":
          return { type: "string", enum: leaf.values.map((value) => value.name) };
        default:
          return { ...primitives[leaf.kind] };
      }
    },
    array: (items) => ({ type: "array", items }),
    map: (additionalProperties) => ({ type: "object", additionalProperties }),
    nullable,
    struct: (struct, fields) => {
      const properties: Record<string, JsonSchema> = {};
      struct.fields.forEach((field, i) => {
        properties[field.name] = described(fields[i]!, field.doc);
      });
      const required = struct.fields.filter((field) => field.type.kind !== "nullable").map((field) => field.name);
      return { type: "object", properties, ...(required.length > 0 ? { required } : {}) };
    },
  });
}

/** `?T`: T or null. A plain `type` gains "null"; anything else becomes a choice. */
function nullable(schema: JsonSchema): JsonSchema {
  const keys = Object.keys(schema);
  if (typeof schema["type"] === "string" && keys.every((key) => key === "type" || key === "format"))
    return { ...schema, type: [schema["type"], "null"] };
  if (Array.isArray(schema["type"]) && keys.length === 1) return { type: [...(schema["type"] as string[]), "null"] };
  return { anyOf: [schema, { type: "null" }] };
}

/** The schema with the documentation, without systemd's mode annotations, as its description. */
export function described(schema: JsonSchema, doc: string | undefined): JsonSchema {
  const prose = docProse(doc);
  return prose === undefined ? schema : { ...schema, description: prose };
}
