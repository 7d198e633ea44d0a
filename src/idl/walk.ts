import type { Field, InterfaceDefinition, Member, TypeNode } from "./ast.js";

/** Where a type expression stands, for messages and for rules that depend on the place. */
export type TypeSite =
  | { place: "type"; member: Member }
  | { place: "input" | "output" | "parameters"; member: Member }
  | { place: "field"; member: Member; field: Field };

/** The type expressions directly under a member, each with its site. */
export function memberTypes(member: Member): Array<[TypeNode, TypeSite]> {
  switch (member.kind) {
    case "type":
      return [[member.definition, { place: "type", member }]];
    case "method": {
      const result: Array<[TypeNode, TypeSite]> = [];
      if (member.input) result.push([member.input, { place: "input", member }]);
      if (member.output) result.push([member.output, { place: "output", member }]);
      return result;
    }
    case "error":
      return member.parameters ? [[member.parameters, { place: "parameters", member }]] : [];
  }
}

/**
 * Calls `visit` on every type node of the interface, outermost first, with the site of the
 * expression it belongs to and the depth of struct nesting around it.
 */
export function walkTypes(
  definition: InterfaceDefinition,
  visit: (type: TypeNode, site: TypeSite, structDepth: number) => void,
): void {
  const walk = (type: TypeNode, site: TypeSite, depth: number): void => {
    visit(type, site, depth);
    switch (type.kind) {
      case "array":
        return walk(type.element, site, depth);
      case "map":
        return walk(type.value, site, depth);
      case "nullable":
        return walk(type.inner, site, depth);
      case "struct":
        for (const field of type.fields) walk(field.type, { place: "field", member: site.member, field }, depth + 1);
        return;
      default:
        return;
    }
  };
  for (const member of definition.members) {
    for (const [type, site] of memberTypes(member)) walk(type, site, 0);
  }
}
