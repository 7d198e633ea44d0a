import { docProse, type TypeModel } from "@varlink-ts/runtime/model";

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
  switch (type.kind) {
    case "named":
      return { $ref: reference(type.name) };
    case "array":
      return { type: "array", items: typeSchema(type.element, reference) };
    case "map":
      return { type: "object", additionalProperties: typeSchema(type.value, reference) };
    case "set":
      return { type: "object", additionalProperties: { type: "object", properties: {} } };
    case "nullable":
      return nullable(typeSchema(type.inner, reference));
    case "enum":
      return { type: "string", enum: type.values.map((value) => value.name) };
    case "struct": {
      const properties: Record<string, JsonSchema> = {};
      for (const field of type.fields) properties[field.name] = described(typeSchema(field.type, reference), field.doc);
      const required = type.fields.filter((field) => field.type.kind !== "nullable").map((field) => field.name);
      return { type: "object", properties, ...(required.length > 0 ? { required } : {}) };
    }
    default:
      return { ...primitives[type.kind] };
  }
}

/** `?T`: T or null. A plain `type` gains "null"; anything else becomes a choice. */
function nullable(schema: JsonSchema): JsonSchema {
  const keys = Object.keys(schema);
  if (typeof schema["type"] === "string" && keys.every((key) => key === "type" || key === "format")) return { ...schema, type: [schema["type"], "null"] };
  if (Array.isArray(schema["type"]) && keys.length === 1) return { type: [...(schema["type"] as string[]), "null"] };
  return { anyOf: [schema, { type: "null" }] };
}

/** The schema with the documentation, without systemd's mode annotations, as its description. */
export function described(schema: JsonSchema, doc: string | undefined): JsonSchema {
  const prose = docProse(doc);
  return prose === undefined ? schema : { ...schema, description: prose };
}
