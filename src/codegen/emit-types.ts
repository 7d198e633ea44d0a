import { ref, type Declaration, type TypeNode } from "./code/ast.js";
import { runtime, type EmitContext } from "./context.js";
import { idlDoc, lineComments } from "./docs.js";
import { errorClass } from "./emit-errors.js";
import type { EmitType, TypeRef } from "./emit-model.js";

// TypeScript types that mirror the JSON on the wire, so no conversion layer runs: structs
// become interfaces, enums unions of string literals, `?T` fields optional and nullable. Types
// are written in syntax or through the runtime namespace, never through globals (Array, Record)
// that an IDL name could shadow. `int` and `float` are the runtime's markers (`$.Int`,
// `$.Float`: number to the compiler) so the code says which it is; a type hoisted out of
// another is tagged `@anonymous`. Documentation and comments are written as they stand in the
// interface text: `varlink-ts derive` gives that text back from these declarations.

export function typeNode(type: TypeRef, context: EmitContext): TypeNode {
  const lossless = context.integers === "bigint";
  switch (type.kind) {
    case "bool":
      return ref("boolean");
    case "int":
      return ref(lossless ? "bigint" : runtime("Int"));
    case "float":
      return ref(runtime("Float"));
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

const anonymousDoc = "A type written in place in the interface, named here for TypeScript.\n\n@anonymous";

function typeDeclaration(type: EmitType, context: EmitContext): Declaration {
  const doc = type.role === "hoisted" ? anonymousDoc : type.role === "declared" ? idlDoc(type.doc) : type.doc;
  if (type.kind === "enum") {
    const notes = type.values.map((v) =>
      v.doc !== undefined || v.comments !== undefined
        ? { doc: idlDoc(v.doc), comments: lineComments(v.comments) }
        : undefined,
    );
    return {
      kind: "type-alias",
      exported: true,
      name: type.name,
      type: {
        kind: "union",
        types: type.values.map((v) => ({ kind: "string-literal", value: v.name })),
        ...(notes.some((n) => n !== undefined) ? { notes } : {}),
      },
      doc,
      // An alias has nothing to close: comments after its last value follow its `;`.
      comments: lineComments(type.comments, type.closing),
    };
  }
  return {
    kind: "interface",
    exported: true,
    name: type.name,
    doc,
    comments: lineComments(type.comments),
    closing: type.closing,
    members: type.fields.map((field) => ({
      kind: "property",
      name: field.key,
      optional: field.optional,
      type: field.optional ? nullable(typeNode(field.type, context)) : typeNode(field.type, context),
      doc: idlDoc(field.doc),
      comments: lineComments(field.comments),
    })),
  };
}

/** The types in the order of the interface's members, each error's class after its parameters' types. */
export function emitTypes(context: EmitContext): Declaration[] {
  const errors = new Map(context.model.errors.map((error) => [error.parameters, error]));
  const out: Declaration[] = [];
  let pending: Declaration | undefined;
  for (const type of context.model.types) {
    if (type.role !== "hoisted" && pending !== undefined) {
      out.push(pending);
      pending = undefined;
    }
    out.push(typeDeclaration(type, context));
    const error = type.role === "error" ? errors.get(type.name) : undefined;
    if (error !== undefined) pending = errorClass(error, type);
  }
  if (pending !== undefined) out.push(pending);
  return out;
}
