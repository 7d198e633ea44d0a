import { ref, type Declaration, type TypeNode } from "./code/ast.js";
import { runtime, type EmitContext } from "./context.js";
import { tsDoc } from "./docs.js";
import type { NamedModel, TypeRef } from "./model.js";

// TypeScript types that mirror the JSON on the wire, so no conversion layer runs: structs
// become interfaces, enums unions of string literals, `?T` fields optional and nullable. Types
// are written in syntax or through the runtime namespace, never through globals (Array, Record)
// that an IDL name could shadow.

export function typeNode(type: TypeRef, context: EmitContext): TypeNode {
  const lossless = context.integers === "bigint";
  switch (type.kind) {
    case "bool":
      return ref("boolean");
    case "int":
      return ref(lossless ? "bigint" : "number");
    case "float":
      return ref("number");
    case "string":
      return ref("string");
    case "object":
      return ref(runtime(lossless ? "LosslessJsonObject" : "JsonObject"));
    case "any":
      return ref(runtime(lossless ? "LosslessJsonValue" : "JsonValue"));
    case "named":
      return ref(type.name);
    case "set":
      return ref(runtime("StringSet"));
    case "array":
      return { kind: "array", element: typeNode(type.element, context) };
    case "map":
      return ref(runtime("StringMap"), typeNode(type.value, context));
    case "nullable":
      return nullable(typeNode(type.inner, context));
  }
}

const nullable = (type: TypeNode): TypeNode => ({ kind: "union", types: [type, ref("null")] });

function typeDeclaration(type: NamedModel, context: EmitContext): Declaration {
  if (type.kind === "enum") {
    const valueDocs = type.values.filter((v) => v.doc !== undefined).map((v) => `- \`${v.name}\`: ${v.doc!.replace(/\n/g, " ")}`);
    return {
      kind: "type-alias",
      exported: true,
      name: type.name,
      type: { kind: "union", types: type.values.map((v) => ({ kind: "string-literal", value: v.name })) },
      doc: tsDoc(type.doc, valueDocs.length > 0 ? valueDocs.join("\n") : undefined),
    };
  }
  return {
    kind: "interface",
    exported: true,
    name: type.name,
    doc: tsDoc(type.doc),
    members: type.fields.map((field) => ({
      kind: "property",
      name: field.key,
      optional: field.optional,
      type: field.optional ? nullable(typeNode(field.type, context)) : typeNode(field.type, context),
      doc: tsDoc(field.doc),
    })),
  };
}

export function emitTypes(context: EmitContext): Declaration[] {
  return context.model.types.map((type) => typeDeclaration(type, context));
}
