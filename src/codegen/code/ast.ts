// The TypeScript that generated modules are made of, as plain data: emitters build it, and
// print-module.ts lays it out. Only the shapes generated code uses exist here.

export type TypeNode =
  /** `X`, `boolean`, `$.Method<A, B>` */
  | { kind: "reference"; name: string; args?: TypeNode[] }
  /** `"idle"` */
  | { kind: "string-literal"; value: string }
  /** `notes`, beside `types`: what each member carries from the interface text (an enum value's doc). */
  | { kind: "union"; types: TypeNode[]; notes?: Array<Note | undefined> }
  /** `T[]` */
  | { kind: "array"; element: TypeNode }
  /** `value is X` (a return type only) */
  | { kind: "predicate"; parameter: string; type: TypeNode };

export type Expression =
  /** Never broken: an identifier, `value["x"]`, `options?.exact`, a literal. */
  | { kind: "atom"; text: string }
  | { kind: "call"; callee: string; args: Expression[]; pure?: boolean; typeArgs?: TypeNode[] }
  | { kind: "binary"; operator: "===" | "!==" | "==" | "!=" | "+"; left: Expression; right: Expression }
  | { kind: "logical"; operator: "&&" | "||"; left: Expression; right: Expression }
  | { kind: "unary"; operator: "!" | "typeof"; operand: Expression }
  | { kind: "object"; properties: Array<{ key: string; value: Expression; doc?: string | undefined }> }
  | { kind: "array"; elements: Expression[] }
  /** A template literal, printed as it is written (`text` holds the backticks). */
  | { kind: "template"; text: string };

export type Statement =
  | { kind: "return"; value: Expression }
  | { kind: "if"; test: Expression; then: Statement }
  /** `for (init; test; update) body`, the three clauses as written. */
  | { kind: "for"; head: string; body: Statement }
  | { kind: "for-in"; variable: string; object: string; body: Statement }
  | { kind: "expression"; expression: Expression };

export interface Parameter {
  name: string;
  optional?: boolean;
  type: TypeNode;
  /** `name: T = default`, the default as written. */
  default?: string;
}

/**
 * Line comments (`//`) carried over from the interface text, where prettier keeps them: lines
 * above the documentation (`before`), one at the end of the line (`trailing`), and lines right
 * below (`after`, only where nothing else can hold them: after a type alias's `;`).
 */
export interface LineComments {
  before?: string[] | undefined;
  trailing?: string | undefined;
  after?: string[] | undefined;
}

/** A documentation comment and line comments, as a declaration, member or union member carries them. */
export interface Note {
  doc?: string | undefined;
  comments?: LineComments | undefined;
}

export type Member =
  | {
      kind: "property";
      name: string;
      optional?: boolean;
      readonly?: boolean;
      type: TypeNode;
      doc?: string | undefined;
      comments?: LineComments | undefined;
    }
  | {
      kind: "method";
      name: string;
      optional?: boolean;
      parameters: Parameter[];
      returnType: TypeNode;
      doc?: string | undefined;
    };

export type Declaration = (
  | { kind: "import-namespace"; name: string; module: string }
  | { kind: "const"; exported: boolean; name: string; type?: TypeNode; value: Expression; doc?: string | undefined }
  /** `closing`: line comments after the last member, before `}`. */
  | {
      kind: "interface";
      exported: boolean;
      name: string;
      members: Member[];
      doc?: string | undefined;
      closing?: string[] | undefined;
    }
  | { kind: "type-alias"; exported: boolean; name: string; type: TypeNode; doc?: string | undefined }
  | {
      kind: "function";
      exported: boolean;
      name: string;
      parameters: Parameter[];
      returnType: TypeNode;
      body: Statement[];
      doc?: string | undefined;
    }
  | {
      kind: "class";
      exported: boolean;
      name: string;
      extends: TypeNode;
      /** `static readonly NAME = VALUE;` */
      constants: Array<{ name: string; value: Expression }>;
      constructor: { parameters: Parameter[]; body: Statement[] };
      doc?: string | undefined;
    }
) & { comments?: LineComments | undefined };

/** A module: a first comment line, then declarations separated by a blank line. */
export interface Module {
  header: string;
  declarations: Declaration[];
}

// Shorthands the emitters use.
export const atom = (text: string): Expression => ({ kind: "atom", text });
export const call = (callee: string, ...args: Expression[]): Expression => ({ kind: "call", callee, args });
export const ref = (name: string, ...args: TypeNode[]): TypeNode =>
  args.length > 0 ? { kind: "reference", name, args } : { kind: "reference", name };
export const stringLiteral = (value: string): Expression => atom(JSON.stringify(value));
export const and = (operands: Expression[]): Expression => chain("&&", operands);
export const or = (operands: Expression[]): Expression => chain("||", operands);

/**
 * `a && b && c` as the parser would build it: left-nested. An operand that is itself a chain
 * of the same operator joins this one: `a || (b || c)` is written `a || b || c`.
 */
function chain(operator: "&&" | "||", operands: Expression[]): Expression {
  const flat = operands.flatMap((operand) => flatten(operator, operand));
  if (flat.length === 0) throw new Error("an empty chain");
  return flat.slice(1).reduce((left, right) => ({ kind: "logical", operator, left, right }), flat[0]!);
}

function flatten(operator: "&&" | "||", operand: Expression): Expression[] {
  return operand.kind === "logical" && operand.operator === operator
    ? [...flatten(operator, operand.left), ...flatten(operator, operand.right)]
    : [operand];
}
