import { readInterface } from "../model/interface-text.js";
import { typeText, type InterfaceModel, type MemberModel, type TypeModel } from "../model/model.js";

// The types of an interface, looked up in its model by key. Generated code carries the interface
// text anyway (GetInterfaceDescription returns it), so the slow paths (reporting every problem of
// a value that failed its generated check, converting integers) read the model from it, and no
// generated code is spent on them. The text was checked when the code was generated, so this
// reader trusts it: it knows the grammar, not the diagnostics.

/** A varlink type: the runtime's one model of them (see model/model.ts). */
export type TypeDescription = TypeModel;

export { typeText };

/**
 * An interface's types by key, a view over its model: a declared type by its name (`Crate`), a
 * method's parameters and reply as `Jump.input` and `Jump.output`, an error's parameters by the
 * error's name. The model is read from the text when first needed: most programs never validate
 * a value that fails, and those that do pay for reading the text once.
 */
export class InterfaceTypes {
  private source: string | InterfaceModel;
  private members: Map<string, MemberModel> | undefined;

  constructor(
    /** The interface text (read when first needed), or its model where the caller has it. */
    source: string | InterfaceModel,
    /** How the generated code represents `int`. */
    readonly integers: "number" | "bigint" = "number",
  ) {
    this.source = source;
  }

  /** The interface in the runtime's model: the one source of these types. */
  get model(): InterfaceModel {
    if (typeof this.source === "string") this.source = readInterface(this.source);
    return this.source;
  }

  get(key: string): TypeDescription {
    this.members ??= new Map(this.model.members.map((member) => [member.name, member]));
    const dot = key.indexOf(".");
    const type = partOf(this.members.get(dot < 0 ? key : key.slice(0, dot)), dot < 0 ? undefined : key.slice(dot + 1));
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

/** The type of `member` that `part` names: a method's `input` or `output`; a type's or error's own with none. */
function partOf(member: MemberModel | undefined, part: string | undefined): TypeDescription | undefined {
  switch (member?.kind) {
    case "method":
      return part === "input" ? member.input : part === "output" ? member.output : undefined;
    case "type":
      return part === undefined ? member.type : undefined;
    case "error":
      return part === undefined ? member.parameters : undefined;
    default:
      return undefined;
  }
}

/** Whether following the named types `type` refers to comes back to one already on the way. */
function reachesCycle(
  type: TypeDescription,
  lookup: (name: string) => TypeDescription,
  onTheWay: Set<string>,
): boolean {
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

/**
 * Generated modules call this at their top level with their description; it does nothing until
 * a type is asked for. Given a model (the explorer page has one), nothing is read.
 */
export function interfaceTypes(source: string | InterfaceModel, integers?: "bigint"): InterfaceTypes {
  return new InterfaceTypes(source, integers);
}
