// An interface as plain data, documentation included: the one description of varlink types that
// every reader shares. The runtime reads it from an interface text (what GetInterfaceDescription
// returns) and prints it back (the one printer: `varlink-ts fmt` prints the model the IDL front
// end builds); code-first interfaces (Standard Schemas, `varlink-ts derive`) build it and print
// their text from it; validation, the explorer, OpenAPI and the code generator read it. The IDL
// front end's AST stays the front end's: it keeps positions for diagnostics and the editor.

/**
 * A varlink type whose struct and enum literals are `L`: the model has them inline (TypeModel);
 * the code generator hoists them out into named types (TypeShape<never>).
 */
export type TypeShape<L> =
  | { kind: "bool" | "int" | "float" | "string" | "object" | "any" }
  | { kind: "named"; name: string }
  | { kind: "array"; element: TypeShape<L> }
  | { kind: "map"; value: TypeShape<L> }
  /** `[string]()`: a set of strings; `closing` holds comments written inside its `()`. */
  | { kind: "set"; closing?: string[] | undefined }
  | { kind: "nullable"; inner: TypeShape<L> }
  | L;

/** A varlink type, anonymous structs and enums inline. */
export type TypeModel = TypeShape<StructModel | EnumModel>;

/**
 * Comments that are not documentation, each the text after its `#`: those before an item that
 * are not right above it (`detached`), and the one at the end of its line (`trailing`). Kept so
 * that an interface read and printed again, or carried through generated code, loses none.
 */
export interface Comments {
  detached?: string[] | undefined;
  trailing?: string | undefined;
}

export interface StructModel {
  kind: "struct";
  fields: FieldModel[];
  /** Comments after the last field, before `)`. */
  closing?: string[] | undefined;
}

export interface FieldModel {
  name: string;
  type: TypeModel;
  doc?: string | undefined;
  comments?: Comments | undefined;
}

export interface EnumModel {
  kind: "enum";
  values: EnumValueModel[];
  closing?: string[] | undefined;
}

export interface EnumValueModel {
  name: string;
  doc?: string | undefined;
  comments?: Comments | undefined;
}

/** A method's modes, from its documentation's annotations (`# [Requires 'more' flag]`, as systemd writes them). */
export interface MethodModes {
  more?: "requires" | "supports" | undefined;
  upgrade?: "requires" | "supports" | undefined;
}

export type MemberModel =
  | { kind: "type"; name: string; type: StructModel | EnumModel; doc?: string | undefined; comments?: Comments | undefined }
  /** `doc` is the whole comment, mode annotations included; `modes` are read from it. */
  | { kind: "method"; name: string; input: StructModel; output: StructModel; doc?: string | undefined; modes: MethodModes; comments?: Comments | undefined }
  | { kind: "error"; name: string; parameters: StructModel; doc?: string | undefined; comments?: Comments | undefined };

export interface InterfaceModel {
  name: string;
  doc?: string | undefined;
  /** In the order of the text. */
  members: MemberModel[];
  /** Comments before the interface, at the end of its line, and after the last member (`closing`). */
  comments?: (Comments & { closing?: string[] | undefined }) | undefined;
}

const modeLine = /^\s*\[(Requires|Supports) '(more|upgrade)' flag\]\s*$/;

/** The modes a method's documentation declares. */
export function modesOf(doc: string | undefined): MethodModes {
  const modes: MethodModes = {};
  for (const line of doc?.split("\n") ?? []) {
    const match = modeLine.exec(line);
    if (match !== null) modes[match[2] as "more" | "upgrade"] = match[1] === "Requires" ? "requires" : "supports";
  }
  return modes;
}

/**
 * How a method takes `more`: its own annotation or, in an interface that annotates no method at
 * all (most outside systemd), "supports" for every method, since nothing says which stream.
 */
export function moreOf(model: InterfaceModel, method: MemberModel & { kind: "method" }): "requires" | "supports" | undefined {
  const marked = model.members.some((m) => m.kind === "method" && (m.modes.more !== undefined || m.modes.upgrade !== undefined));
  return method.modes.more ?? (marked ? undefined : "supports");
}

/** The documentation without its mode annotations: what a reader is told. */
export function docProse(doc: string | undefined): string | undefined {
  const text = doc
    ?.split("\n")
    .filter((line) => !modeLine.test(line))
    .join("\n")
    .trim();
  return text === undefined || text === "" ? undefined : text;
}

/** A type as the IDL writes it, for messages: `[]string`, `(name: string, channel: string)`. */
export function typeText(type: TypeModel): string {
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
      return `(${type.fields.map((f) => `${f.name}: ${typeText(f.type)}`).join(", ")})`;
    case "enum":
      return `(${type.values.map((v) => v.name).join(", ")})`;
    default:
      return type.kind;
  }
}
