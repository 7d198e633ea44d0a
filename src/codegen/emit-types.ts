import type { StatementStructures } from "ts-morph";
import { StructureKind } from "./ts-morph.js";
import { tsDoc } from "./docs.js";
import type { RuntimeImports } from "./imports.js";
import type { InterfaceModel, NamedModel, TypeRef } from "./model.js";

// TypeScript types that mirror the JSON on the wire, so no conversion layer runs:
// structs become interfaces, enums unions of string literals, `?T` fields optional and nullable.

export function typeExpression(ref: TypeRef, imports: RuntimeImports): string {
  switch (ref.kind) {
    case "bool":
      return "boolean";
    case "int":
    case "float":
      return "number";
    case "string":
      return "string";
    case "object":
      return imports.type("JsonObject");
    case "any":
      return imports.type("JsonValue");
    case "named":
      return ref.name;
    case "set":
      return imports.type("StringSet");
    case "array": {
      const element = typeExpression(ref.element, imports);
      return /[|\s<]/.test(element) ? `Array<${element}>` : `${element}[]`;
    }
    case "map":
      return `Record<string, ${typeExpression(ref.value, imports)}>`;
    case "nullable":
      return `${typeExpression(ref.inner, imports)} | null`;
  }
}

function typeStatement(type: NamedModel, imports: RuntimeImports): StatementStructures {
  if (type.kind === "enum") {
    const values = type.values.map((v) => JSON.stringify(v.name));
    const valueDocs = type.values.filter((v) => v.doc !== undefined).map((v) => `- \`${v.name}\`: ${v.doc!.replace(/\n/g, " ")}`);
    return {
      kind: StructureKind.TypeAlias,
      name: type.name,
      isExported: true,
      type: values.join(" | "),
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
      type: field.optional ? `${typeExpression(field.type, imports)} | null` : typeExpression(field.type, imports),
      docs: tsDoc(field.doc),
    })),
  };
}

export function emitTypes(model: InterfaceModel, imports: RuntimeImports): StatementStructures[] {
  return model.types.map((type) => typeStatement(type, imports));
}
