import type { ExplorerType } from "./model.js";

/** A type as the IDL writes it, for labels. */
export function typeText(type: ExplorerType): string {
  switch (type.kind) {
    case "named":
      return type.name;
    case "array":
      return `[]${typeText(type.element)}`;
    case "map":
      return `[string]${typeText(type.value)}`;
    case "set":
      return "[string]()";
    case "nullable":
      return `?${typeText(type.inner)}`;
    case "struct":
      return `(${type.fields.map((field) => `${field.name}: ${typeText(field.type)}`).join(", ")})`;
    case "enum":
      return `(${type.values.map((value) => value.name).join(", ")})`;
    default:
      return type.kind;
  }
}
