import type { StatementStructures } from "ts-morph";
import { StructureKind } from "./ts-morph.js";
import { runtime, type EmitContext } from "./context.js";
import { tsDoc } from "./docs.js";
import type { NamedModel, TypeRef } from "./model.js";

// TypeScript types that mirror the JSON on the wire, so no conversion layer runs: structs
// become interfaces, enums unions of string literals, `?T` fields optional and nullable. Types
// are written in syntax, never through globals (Array, Record) that an IDL name could shadow.

export function typeExpression(ref: TypeRef, context: EmitContext): string {
  const lossless = context.integers === "bigint";
  switch (ref.kind) {
    case "bool":
      return "boolean";
    case "int":
      return lossless ? "bigint" : "number";
    case "float":
      return "number";
    case "string":
      return "string";
    case "object":
      return runtime(lossless ? "LosslessJsonObject" : "JsonObject");
    case "any":
      return runtime(lossless ? "LosslessJsonValue" : "JsonValue");
    case "named":
      return ref.name;
    case "set":
      return runtime("StringSet");
    case "array": {
      const element = typeExpression(ref.element, context);
      // Only a nullable element is a union, which `[]` would bind tighter than.
      return ref.element.kind === "nullable" ? `(${element})[]` : `${element}[]`;
    }
    case "map":
      return `{ [key: string]: ${typeExpression(ref.value, context)} }`;
    case "nullable":
      return `${typeExpression(ref.inner, context)} | null`;
  }
}

function typeStatement(type: NamedModel, context: EmitContext): StatementStructures {
  if (type.kind === "enum") {
    const valueDocs = type.values.filter((v) => v.doc !== undefined).map((v) => `- \`${v.name}\`: ${v.doc!.replace(/\n/g, " ")}`);
    return {
      kind: StructureKind.TypeAlias,
      name: type.name,
      isExported: true,
      type: type.values.map((v) => JSON.stringify(v.name)).join(" | "),
      docs: tsDoc(type.doc, valueDocs.length > 0 ? valueDocs.join("\n") : undefined),
    };
  }
  return {
    kind: StructureKind.Interface,
    name: type.name,
    isExported: true,
    docs: tsDoc(type.doc),
    properties: type.fields.map((field) => ({
      name: field.key,
      hasQuestionToken: field.optional,
      type: field.optional ? `${typeExpression(field.type, context)} | null` : typeExpression(field.type, context),
      docs: tsDoc(field.doc),
    })),
  };
}

export function emitTypes(context: EmitContext): StatementStructures[] {
  return context.model.types.map((type) => typeStatement(type, context));
}
