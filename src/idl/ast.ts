// The varlink IDL as plain data. Every node has a `kind` tag and a source range;
// declarations and fields also carry their documentation and the comments around them,
// so that the model built from it (to-model.ts), printed by fmt, loses none of them.

/** A point in the source: 1-based line and column (UTF-16 units), 0-based offset. */
export interface Position {
  line: number;
  column: number;
  offset: number;
}

/** A half-open source range: `end` is the position just after the last character. */
export interface Range {
  start: Position;
  end: Position;
}

/** One `#` comment; `text` is everything after the `#`, verbatim. */
export interface Comment {
  text: string;
  range: Range;
}

/**
 * Comments that belong to a declaration, field or enum value but are not its documentation:
 * `detached` ones stand before it, separated from it (or from its documentation) by a blank line
 * or found in an odd place inside it; `trailing` is the comment at the end of its last line.
 */
export interface Trivia {
  detached: Comment[];
  trailing: Comment | undefined;
}

export type PrimitiveName = "bool" | "int" | "float" | "string" | "object" | "any";

export interface PrimitiveType {
  kind: "primitive";
  name: PrimitiveName;
  range: Range;
}

/** A reference to a `type` declared in the same interface. */
export interface ReferenceType {
  kind: "reference";
  name: string;
  range: Range;
}

export interface ArrayType {
  kind: "array";
  element: TypeNode;
  range: Range;
}

/** `[string]T`; `[string]()` is a set of strings. */
export interface MapType {
  kind: "map";
  value: TypeNode;
  range: Range;
}

export interface NullableType {
  kind: "nullable";
  inner: TypeNode;
  range: Range;
}

export interface StructType {
  kind: "struct";
  fields: Field[];
  /** Comments after the last field, before the closing parenthesis. */
  closingComments: Comment[];
  range: Range;
}

export interface EnumType {
  kind: "enum";
  values: EnumValue[];
  closingComments: Comment[];
  range: Range;
}

export type TypeNode = PrimitiveType | ReferenceType | ArrayType | MapType | NullableType | StructType | EnumType;

export interface Field {
  kind: "field";
  name: string;
  type: TypeNode;
  doc: string | undefined;
  trivia: Trivia;
  nameRange: Range;
  range: Range;
}

export interface EnumValue {
  kind: "enumValue";
  name: string;
  doc: string | undefined;
  trivia: Trivia;
  nameRange: Range;
  range: Range;
}

export interface TypeDeclaration {
  kind: "type";
  name: string;
  /** A struct or an enum in a valid file; anything else is reported by the checker. */
  definition: TypeNode;
  doc: string | undefined;
  trivia: Trivia;
  nameRange: Range;
  range: Range;
}

/** How a method may be called, from systemd's `# [Requires 'more' flag]` style annotations. */
export interface MethodModes {
  more: "requires" | "supports" | undefined;
  upgrade: "requires" | "supports" | undefined;
}

export interface MethodDeclaration {
  kind: "method";
  name: string;
  /** Struct literals in a valid file; `undefined` when the source left them out. */
  input: TypeNode | undefined;
  output: TypeNode | undefined;
  modes: MethodModes;
  doc: string | undefined;
  trivia: Trivia;
  nameRange: Range;
  range: Range;
}

export interface ErrorDeclaration {
  kind: "error";
  name: string;
  parameters: TypeNode | undefined;
  doc: string | undefined;
  trivia: Trivia;
  nameRange: Range;
  range: Range;
}

export type Member = TypeDeclaration | MethodDeclaration | ErrorDeclaration;

export interface InterfaceDefinition {
  kind: "interface";
  name: string;
  doc: string | undefined;
  trivia: Trivia;
  members: Member[];
  /** Comments after the last member. */
  closingComments: Comment[];
  nameRange: Range;
  range: Range;
  /** The exact source text, as `GetInterfaceDescription` must return it. */
  source: string;
}
