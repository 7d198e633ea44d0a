import { readInterface } from "../interface/interface-text.js";
import { typeText, type TypeModel } from "../interface/model.js";

// The types of an interface, read from its description text. Generated code carries that text
// anyway (GetInterfaceDescription returns it), so the slow paths (reporting every problem of a
// value that failed its generated check, converting integers) read the types from it, and no
// generated code is spent on them. The text was checked when the code was generated, so this
// reader trusts it: it knows the grammar, not the diagnostics.

/** A varlink type: the runtime's one model of them (see interface/model.ts). */
export type TypeDescription = TypeModel;

/**
 * An interface's types by key: a declared type by its name (`Crate`), a method's parameters and
 * reply as `Jump.input` and `Jump.output`, an error's parameters by the error's name.
 */
export type TypeTable = ReadonlyMap<string, TypeDescription>;

/** Every member of an interface description in a table (see TypeTable). */
export function readInterfaceTypes(description: string): TypeTable {
  const table = new Map<string, TypeDescription>();
  for (const member of readInterface(description).members) {
    if (member.kind === "type") table.set(member.name, member.type);
    else if (member.kind === "error") table.set(member.name, member.parameters);
    else {
      table.set(`${member.name}.input`, member.input);
      table.set(`${member.name}.output`, member.output);
    }
  }
  return table;
}

export { typeText };

/**
 * An interface's types, read when first needed: most programs never validate a value that
 * fails, and those that do pay for reading the text once.
 */
export class InterfaceTypes {
  private table: TypeTable | undefined;

  constructor(
    readonly description: string,
    /** How the generated code represents `int`. */
    readonly integers: "number" | "bigint" = "number",
  ) {}

  get(key: string): TypeDescription {
    this.table ??= readInterfaceTypes(this.description);
    const type = this.table.get(key);
    if (type === undefined) throw new Error(`the interface declares no '${key}'`);
    return type;
  }

  private recursiveKeys: Map<string, boolean> | undefined;

  /**
   * Whether values of the type `key` names can nest without end (`type Node (children: []Node)`):
   * only then can their depth exceed what the interface text itself nests.
   */
  recursive(key: string): boolean {
    this.recursiveKeys ??= new Map();
    let known = this.recursiveKeys.get(key);
    if (known === undefined) {
      known = reachesCycle(this.get(key), (name) => this.get(name), new Set());
      this.recursiveKeys.set(key, known);
    }
    return known;
  }
}

/** Whether following the named types `type` refers to comes back to one already on the way. */
function reachesCycle(type: TypeDescription, lookup: (name: string) => TypeDescription, onTheWay: Set<string>): boolean {
  switch (type.kind) {
    case "named": {
      if (onTheWay.has(type.name)) return true;
      onTheWay.add(type.name);
      const found = reachesCycle(lookup(type.name), lookup, onTheWay);
      onTheWay.delete(type.name);
      return found;
    }
    case "array":
      return reachesCycle(type.element, lookup, onTheWay);
    case "map":
      return reachesCycle(type.value, lookup, onTheWay);
    case "nullable":
      return reachesCycle(type.inner, lookup, onTheWay);
    case "struct":
      return type.fields.some((field) => reachesCycle(field.type, lookup, onTheWay));
    default:
      return false;
  }
}

/** Generated modules call this at their top level; it does nothing until a type is asked for. */
export function interfaceTypes(description: string, integers?: "bigint"): InterfaceTypes {
  return new InterfaceTypes(description, integers);
}
