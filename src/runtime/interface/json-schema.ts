import { mapOf, type EnumModel, type FieldModel, type StructModel, type TypeModel } from "../model/model.js";
import { fieldNamePattern, memberNamePattern } from "../model/names.js";

// JSON Schema (2020-12, as Standard JSON Schema gives it) as varlink types. What varlink can say
// is translated; what it cannot (unions other than with null, tuples, numeric ranges, patterns,
// length limits...) is refused with an error that names the field and says why, never widened
// into a type that accepts more than the schema does.

export type JsonSchema = boolean | { readonly [keyword: string]: unknown };

/** A schema varlink cannot express, with the place it stands (`Reverse.input.value[]`). */
export class SchemaConversionError extends Error {
  constructor(
    readonly path: string,
    readonly reason: string,
  ) {
    super(`${path}: ${reason}`);
    this.name = "SchemaConversionError";
  }
}

/** Keywords that only annotate: they change no value a schema accepts. */
const annotations = new Set([
  "$schema",
  "$id",
  "$comment",
  "title",
  "description",
  "default",
  "examples",
  "deprecated",
  "readOnly",
  "writeOnly",
  "$defs",
  "definitions",
]);

/** JSON Schema's own rendering of the safe-integer range, as zod writes it for z.number().int(). */
const safeBounds = new Map([
  ["minimum", -9007199254740991],
  ["maximum", 9007199254740991],
]);

/** Where a schema library marks a part JSON Schema cannot say, when asked to by libraryOptions. */
const unrepresentable = "x-varlink-unrepresentable";
const mark = (what: string): Record<string, string> => ({ [unrepresentable]: what });

/**
 * Options for the schema libraries, so that a part with no JSON Schema (a Date, a Map, a bigint)
 * comes back marked where it stands, and the reader names its field: zod 4 and valibot would
 * fail the whole schema with a message that names no field, and arktype would give `{}`, which
 * reads as any. A library that knows none of them ignores them.
 */
export const libraryOptions: Record<string, unknown> = {
  // zod 4
  unrepresentable: ({ message }: { message: string }) => mark(message),
  // valibot (@valibot/to-json-schema)
  overrideSchema: ({ errors }: { errors?: string[] }) => (errors !== undefined ? mark(errors.join(" ")) : undefined),
  // arktype
  fallback: {
    date: () => mark("a Date"),
    proto: ({ proto }: { proto?: { name?: string } }) => mark(`an instance of ${proto?.name ?? "a class"}`),
    domain: ({ domain }: { domain?: string }) => mark(`a ${domain ?? "value"}`),
  },
};

/** Types nested deeper than the IDL front end reads are refused (idl/parse.ts: define-interface-hostile.test.ts keeps the two equal). */
export const maxNesting = 200;

/** Reads schemas of one interface; named types come from `$defs` and `$ref`. */
export class SchemaReader {
  /** Declared types found through `$ref`, by name, in the order they were first met. */
  readonly types = new Map<string, StructModel | EnumModel>();
  /** Where each declared type was first met (`Add.parameters.node`). */
  readonly places = new Map<string, string>();
  /** The root schemas each declared type's definition has been read from. */
  private readonly readFrom = new Map<string, Set<JsonSchema>>();
  private readonly pending = new Set<string>();
  private depth = 0;

  /** The struct a method's parameters or reply, or an error's parameters, are. */
  struct(schema: JsonSchema, path: string): StructModel {
    const type = this.type(schema, path, schema);
    if (type.kind === "struct") return type;
    // `{"type": "object"}` with nothing declared (arktype's type({})) stands for no fields here.
    if (type.kind === "object" && typeof schema === "object" && schema["additionalProperties"] === undefined)
      return { kind: "struct", fields: [] };
    throw new SchemaConversionError(
      path,
      "must be an object schema with properties: a method's parameters and reply and an error's parameters are structs",
    );
  }

  private type(schema: JsonSchema, path: string, root: JsonSchema): TypeModel {
    if (this.depth >= maxNesting)
      throw new SchemaConversionError(
        path,
        `types nest more than ${maxNesting} levels deep here; varlink-ts does not read further`,
      );
    this.depth++;
    try {
      return this.typeHere(schema, path, root);
    } finally {
      this.depth--;
    }
  }

  private typeHere(schema: JsonSchema, path: string, root: JsonSchema): TypeModel {
    if (schema === true) return { kind: "any" };
    if (schema === false) throw new SchemaConversionError(path, "a schema that accepts nothing has no varlink type");
    if (typeof schema[unrepresentable] === "string")
      throw new SchemaConversionError(path, `no JSON Schema, so no varlink type: ${schema[unrepresentable]}`);
    const nullable = this.nullableInner(schema);
    if (nullable !== undefined) {
      const inner = this.type(nullable, path, root);
      if (inner.kind === "nullable") throw new SchemaConversionError(path, "null twice: varlink has no ??T");
      return { kind: "nullable", inner };
    }
    for (const keyword of Object.keys(schema)) {
      if (annotations.has(keyword) || understood.has(keyword)) continue;
      if (safeBounds.has(keyword) && schema["type"] === "integer" && schema[keyword] === safeBounds.get(keyword))
        continue;
      // OpenAPI's formats for exactly varlink's int and float.
      if (
        keyword === "format" &&
        ((schema["type"] === "integer" && schema[keyword] === "int64") ||
          (schema["type"] === "number" && schema[keyword] === "double"))
      )
        continue;
      throw new SchemaConversionError(path, `'${keyword}' ${whyNot[keyword] ?? "has no varlink equivalent"}`);
    }
    if (typeof schema["$ref"] === "string") return this.reference(schema["$ref"], path, root);
    if (schema["anyOf"] !== undefined || schema["oneOf"] !== undefined)
      throw new SchemaConversionError(path, "a union: varlink has unions only with null (?T)");
    if ("const" in schema) return this.enumeration([schema["const"]], path);
    if (schema["enum"] !== undefined) return this.enumeration(schema["enum"], path);
    const type = schema["type"];
    if (Array.isArray(type)) {
      const kinds = type.filter((t) => t !== "null");
      if (isEveryTypeButNull(kinds) && kinds.length === type.length) return { kind: "any" };
      throw new SchemaConversionError(path, `a union of ${type.join(", ")}: varlink has unions only with null (?T)`);
    }
    switch (type) {
      case undefined:
        if (Object.keys(schema).every((keyword) => annotations.has(keyword))) return { kind: "any" };
        throw new SchemaConversionError(path, "a schema without a type");
      case "boolean":
        return { kind: "bool" };
      case "integer":
        return { kind: "int" };
      case "number":
        return { kind: "float" };
      case "string":
        return { kind: "string" };
      case "array": {
        const items = schema["items"];
        if (items === undefined) return { kind: "array", element: { kind: "any" } };
        return { kind: "array", element: this.type(items as JsonSchema, `${path}[]`, root) };
      }
      case "object":
        return this.object(schema, path, root);
      case "null":
        throw new SchemaConversionError(path, "null alone has no varlink type");
      default:
        throw new SchemaConversionError(path, `type '${String(type)}' is not a JSON Schema type`);
    }
  }

  /** `T | null` as JSON Schema writes it (`anyOf` with `{"type": "null"}`, or `"type": [T, "null"]`): T. */
  private nullableInner(schema: { readonly [keyword: string]: unknown }): JsonSchema | undefined {
    const choices = schema["anyOf"] ?? schema["oneOf"];
    if (Array.isArray(choices) && choices.length === 2) {
      const other = choices.filter((choice) => !isNullSchema(choice));
      if (other.length === 1) return { ...withoutKeys(schema, "anyOf", "oneOf"), ...(other[0] as object) };
    }
    const type = schema["type"];
    if (Array.isArray(type) && type.length >= 2 && type.includes("null")) {
      const others = type.filter((t) => t !== "null");
      return { ...schema, type: others.length === 1 ? others[0] : others };
    }
    return undefined;
  }

  private enumeration(values: unknown, path: string): EnumModel {
    if (!Array.isArray(values) || values.length === 0) throw new SchemaConversionError(path, "an enum needs values");
    for (const [index, value] of values.entries()) {
      if (typeof value !== "string")
        throw new SchemaConversionError(path, `enum value ${JSON.stringify(value)}: varlink enums hold names only`);
      if (!fieldNamePattern.test(value))
        throw new SchemaConversionError(
          path,
          `enum value '${value}' is not a varlink name (letters and digits, single underscores between them)`,
        );
      if (values.indexOf(value) !== index)
        throw new SchemaConversionError(path, `enum value '${value}' twice: a varlink enum names each value once`);
    }
    return { kind: "enum", values: (values as string[]).map((name) => ({ name })) };
  }

  private object(schema: { readonly [keyword: string]: unknown }, path: string, root: JsonSchema): TypeModel {
    const properties = schema["properties"] as Record<string, JsonSchema> | undefined;
    const additional = schema["additionalProperties"] as JsonSchema | undefined;
    const names = schema["propertyNames"] as { readonly [keyword: string]: unknown } | undefined;
    if (names !== undefined && !(Object.keys(names).length === 1 && names["type"] === "string")) {
      throw new SchemaConversionError(path, "'propertyNames' other than strings has no varlink equivalent");
    }
    if (properties !== undefined && Object.keys(properties).length > 0) {
      if (
        additional !== undefined &&
        additional !== false &&
        !(typeof additional === "object" && Object.keys(additional).length === 0)
      ) {
        throw new SchemaConversionError(
          path,
          "properties and additionalProperties together: a varlink struct has fields or is a map, not both",
        );
      }
      const required = new Set((schema["required"] as string[] | undefined) ?? []);
      const fields = Object.entries(properties).map(([name, property]): FieldModel => {
        if (!fieldNamePattern.test(name))
          throw new SchemaConversionError(
            `${path}.${name}`,
            `'${name}' is not a varlink field name (letters and digits, single underscores between them)`,
          );
        const type = this.type(property, `${path}.${name}`, root);
        const field: FieldModel = {
          name,
          type: required.has(name) || type.kind === "nullable" ? type : { kind: "nullable", inner: type },
        };
        const doc = typeof property === "object" ? property["description"] : undefined;
        return typeof doc === "string" ? { ...field, doc } : field;
      });
      return { kind: "struct", fields };
    }
    if (
      additional === undefined ||
      additional === true ||
      (typeof additional === "object" && Object.keys(additional).length === 0)
    ) {
      // No declared fields: an empty struct when nothing else may be there, else any object.
      return additional === undefined && properties !== undefined ? { kind: "struct", fields: [] } : { kind: "object" };
    }
    if (additional === false) return { kind: "struct", fields: [] };
    const value = this.type(additional, `${path}[]`, root);
    return mapOf(value);
  }

  private reference(target: string, path: string, root: JsonSchema): TypeModel {
    const match = /^#\/(?:\$defs|definitions)\/(.+)$/.exec(target);
    if (match === null)
      throw new SchemaConversionError(path, `$ref '${target}': only references into the schema's own $defs are read`);
    const name = decodeURIComponent(match[1]!);
    if (!memberNamePattern.test(name)) {
      throw new SchemaConversionError(
        path,
        `$ref to '${name}', which is not a varlink type name: give the schema an id like 'Node' (zod: .meta({ id: "Node" }))`,
      );
    }
    if (this.pending.has(name)) return { kind: "named", name };
    const roots = this.readFrom.get(name) ?? new Set();
    if (roots.has(root)) return { kind: "named", name };
    // Each schema's $defs is its own: the same id in another method's schema must name the same type.
    roots.add(root);
    this.readFrom.set(name, roots);
    const definitions =
      typeof root === "object"
        ? ((root["$defs"] ?? root["definitions"]) as Record<string, JsonSchema> | undefined)
        : undefined;
    const definition = definitions?.[name];
    if (definition === undefined) throw new SchemaConversionError(path, `$ref '${target}' names no definition`);
    this.pending.add(name);
    const type = this.type(definition, name, root);
    this.pending.delete(name);
    if (type.kind !== "struct" && type.kind !== "enum")
      throw new SchemaConversionError(name, "a named type must be a struct or an enum in varlink");
    const first = this.types.get(name);
    if (first === undefined) {
      this.types.set(name, type);
      this.places.set(name, path);
    } else if (JSON.stringify(first) !== JSON.stringify(type)) {
      throw new SchemaConversionError(
        path,
        `the id '${name}' names two different types, here and at ${this.places.get(name)}: give each its own id`,
      );
    }
    return { kind: "named", name };
  }
}

/** Keywords the reader handles itself. */
const understood = new Set([
  "type",
  "properties",
  "required",
  "additionalProperties",
  "propertyNames",
  "items",
  "enum",
  "const",
  "$ref",
  "anyOf",
  "oneOf",
]);

/** Why a constraint cannot travel: varlink types say the shape of a value, not its range. */
const whyNot: Record<string, string> = {
  minimum: "is a numeric range, which varlink types cannot say",
  maximum: "is a numeric range, which varlink types cannot say",
  exclusiveMinimum: "is a numeric range, which varlink types cannot say",
  exclusiveMaximum: "is a numeric range, which varlink types cannot say",
  multipleOf: "is a numeric constraint, which varlink types cannot say",
  pattern: "is a pattern, which varlink types cannot say",
  format: "is a string format, which varlink types cannot say",
  minLength: "is a length limit, which varlink types cannot say",
  maxLength: "is a length limit, which varlink types cannot say",
  minItems: "is a length limit, which varlink types cannot say",
  maxItems: "is a length limit, which varlink types cannot say",
  prefixItems: "makes a tuple, which varlink does not have",
  allOf: "combines schemas, which varlink types cannot",
  not: "excludes values, which varlink types cannot",
  if: "is a condition, which varlink types cannot say",
};

function isNullSchema(schema: unknown): boolean {
  return (
    typeof schema === "object" &&
    schema !== null &&
    (schema as { type?: unknown }).type === "null" &&
    Object.keys(schema).length === 1
  );
}

function isEveryTypeButNull(types: unknown[]): boolean {
  return (
    ["boolean", "integer", "number", "string", "object", "array"].every((t) => types.includes(t)) && types.length === 6
  );
}

function withoutKeys(schema: { readonly [keyword: string]: unknown }, ...keys: string[]): Record<string, unknown> {
  return Object.fromEntries(Object.entries(schema).filter(([key]) => !keys.includes(key)));
}
