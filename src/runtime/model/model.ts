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
  | {
      kind: "type";
      name: string;
      type: StructModel | EnumModel;
      doc?: string | undefined;
      comments?: Comments | undefined;
    }
  /** `doc` is the whole comment, mode annotations included; `modes` are read from it. */
  | {
      kind: "method";
      name: string;
      input: StructModel;
      output: StructModel;
      doc?: string | undefined;
      modes: MethodModes;
      comments?: Comments | undefined;
    }
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
export function moreOf(
  model: InterfaceModel,
  method: MemberModel & { kind: "method" },
): "requires" | "supports" | undefined {
  const marked = model.members.some(
    (m) => m.kind === "method" && (m.modes.more !== undefined || m.modes.upgrade !== undefined),
  );
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

/** `[string]value`: varlink's set of strings when the value is the empty struct (its comments kept). */
export function mapOf(value: TypeModel): TypeModel {
  if (value.kind !== "struct" || value.fields.length > 0) return { kind: "map", value };
  return value.closing !== undefined ? { kind: "set", closing: value.closing } : { kind: "set" };
}

/** A type of no parts: a primitive, a named type, a set or an enum. */
export type LeafModel = Exclude<TypeModel, { kind: "array" | "map" | "nullable" | "struct" }>;

/** What each kind of type becomes, given what its parts became. */
export interface TypeMapper<R> {
  leaf(type: LeafModel): R;
  array(element: R): R;
  map(value: R): R;
  nullable(inner: R): R;
  /** `fields[i]` is what `type.fields[i].type` became. */
  struct(type: StructModel, fields: R[]): R;
}

interface Pending<R> {
  type: TypeModel;
  parts: readonly TypeModel[];
  mapped: R[];
}

/**
 * `type` mapped bottom-up: every reader that turns a type into something else (its text, a JSON
 * Schema, whether it holds comments) says what each kind becomes, and this does the walk. The
 * walk keeps its own stack, so that no nesting a reader lets through can exhaust the call stack.
 */
export function mapType<R>(type: TypeModel, mapper: TypeMapper<R>): R {
  const stack: Array<Pending<R>> = [pending(type)];
  for (;;) {
    const top = stack[stack.length - 1]!;
    const next = top.parts[top.mapped.length];
    if (next !== undefined) {
      stack.push(pending(next));
      continue;
    }
    stack.pop();
    const result = combine(top, mapper);
    if (stack.length === 0) return result;
    stack[stack.length - 1]!.mapped.push(result);
  }
}

function pending<R>(type: TypeModel): Pending<R> {
  const parts =
    type.kind === "array"
      ? [type.element]
      : type.kind === "map"
        ? [type.value]
        : type.kind === "nullable"
          ? [type.inner]
          : type.kind === "struct"
            ? type.fields.map((f) => f.type)
            : [];
  return { type, parts, mapped: [] };
}

function combine<R>({ type, mapped }: Pending<R>, mapper: TypeMapper<R>): R {
  switch (type.kind) {
    case "array":
      return mapper.array(mapped[0]!);
    case "map":
      return mapper.map(mapped[0]!);
    case "nullable":
      return mapper.nullable(mapped[0]!);
    case "struct":
      return mapper.struct(type, mapped);
    default:
      return mapper.leaf(type);
  }
}

const textMapper: TypeMapper<string> = {
  leaf: (type) =>
    type.kind === "named"
      ? type.name
      : type.kind === "set"
        ? "[string]()"
        : type.kind === "enum"
          ? `(${type.values.map((v) => v.name).join(", ")})`
          : type.kind,
  array: (element) => `[]${element}`,
  map: (value) => `[string]${value}`,
  nullable: (inner) => `?${inner}`,
  struct: (type, fields) => `(${type.fields.map((f, i) => `${f.name}: ${fields[i]}`).join(", ")})`,
};

/** A type as the IDL writes it, for messages: `[]string`, `(name: string, channel: string)`. */
export function typeText(type: TypeModel): string {
  return mapType(type, textMapper);
}
