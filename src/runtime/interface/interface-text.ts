import { modesOf, typeText, type EnumModel, type FieldModel, type InterfaceModel, type MemberModel, type StructModel, type TypeModel } from "./model.js";

// An interface text and its model, both ways. Reading trusts the text: it comes from generated
// code (checked when it was generated) or from a service, and the IDL front end is where texts
// get diagnostics. Documentation follows the IDL's rule: the comment lines right above an item,
// each the first thing on its line, one space after `#` not part of the text.

type Token = { kind: "word" | "punct"; text: string; line: number } | { kind: "comment"; text: string; line: number; startsLine: boolean };

const lineBreak = /\r\n|[\n\r\u2028\u2029]/y;
const space = /[^\S\r\n\u2028\u2029]+/y;
const word = /[A-Za-z0-9_.-]+/y;

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let line = 1;
  let lineStart = true;
  let at = 0;
  const match = (pattern: RegExp): string | undefined => {
    pattern.lastIndex = at;
    const found = pattern.exec(text);
    if (found === null) return undefined;
    at += found[0].length;
    return found[0];
  };
  while (at < text.length) {
    if (match(lineBreak) !== undefined) {
      line++;
      lineStart = true;
      continue;
    }
    if (match(space) !== undefined) continue;
    const c = text[at]!;
    if (c === "#") {
      const end = text.slice(at).search(/[\n\r\u2028\u2029]/);
      const comment = end === -1 ? text.slice(at) : text.slice(at, at + end);
      at += comment.length;
      tokens.push({ kind: "comment", text: comment.slice(1).trimEnd(), line, startsLine: lineStart });
      lineStart = false;
      continue;
    }
    lineStart = false;
    if (text.startsWith("->", at)) {
      tokens.push({ kind: "punct", text: "->", line });
      at += 2;
      continue;
    }
    const name = match(word);
    if (name !== undefined) tokens.push({ kind: "word", text: name, line });
    else {
      tokens.push({ kind: "punct", text: c, line });
      at++;
    }
  }
  return tokens;
}

class Reader {
  private index = 0;
  private readonly tokens: Token[];

  constructor(text: string) {
    this.tokens = tokenize(text);
  }

  /** The documentation of the item whose first token comes next: the comment block right above it. */
  private docHere(): string | undefined {
    this.skipComments();
    const first = this.tokens[this.index];
    if (first === undefined) return undefined;
    const lines: string[] = [];
    let expected = first.line - 1;
    for (let i = this.index - 1; i >= 0; i--) {
      const token = this.tokens[i]!;
      if (token.kind !== "comment" || !token.startsLine || token.line !== expected) break;
      lines.unshift(token.text.replace(/^ /, ""));
      expected--;
    }
    return lines.length > 0 ? lines.join("\n") : undefined;
  }

  private skipComments(): void {
    while (this.tokens[this.index]?.kind === "comment") this.index++;
  }

  atEnd(): boolean {
    this.skipComments();
    return this.index >= this.tokens.length;
  }

  peek(text: string): boolean {
    this.skipComments();
    const token = this.tokens[this.index];
    return token !== undefined && token.kind !== "comment" && token.text === text;
  }

  expect(text: string): void {
    if (!this.peek(text)) throw new Error(`interface description: expected '${text}', found '${this.tokens[this.index]?.text ?? "the end"}'`);
    this.index++;
  }

  word(): string {
    this.skipComments();
    const token = this.tokens[this.index];
    if (token?.kind !== "word") throw new Error(`interface description: expected a name, found '${token?.text ?? "the end"}'`);
    this.index++;
    return token.text;
  }

  type(): TypeModel {
    if (this.peek("?")) {
      this.expect("?");
      return { kind: "nullable", inner: this.type() };
    }
    if (this.peek("[")) {
      this.expect("[");
      if (this.peek("]")) {
        this.expect("]");
        return { kind: "array", element: this.type() };
      }
      this.expect("string");
      this.expect("]");
      const value = this.type();
      return value.kind === "struct" && value.fields.length === 0 ? { kind: "set" } : { kind: "map", value };
    }
    if (this.peek("(")) return this.list();
    const name = this.word();
    return primitives.has(name) ? { kind: name as "int" } : { kind: "named", name };
  }

  /** `(a: T, b: U)` is a struct, `(a, b)` an enum, `()` an empty struct. */
  list(): StructModel | EnumModel {
    this.expect("(");
    const fields: FieldModel[] = [];
    const values: Array<{ name: string; doc?: string }> = [];
    while (!this.peek(")")) {
      const doc = this.docHere();
      const name = this.word();
      if (this.peek(":")) {
        this.expect(":");
        fields.push(withDoc({ name, type: this.type() }, doc));
      } else values.push(withDoc({ name }, doc));
      if (!this.peek(")")) this.expect(",");
    }
    this.expect(")");
    return values.length > 0 ? { kind: "enum", values } : { kind: "struct", fields };
  }

  struct(): StructModel {
    const list = this.list();
    if (list.kind !== "struct") throw new Error("interface description: expected a struct, found an enum");
    return list;
  }

  read(): InterfaceModel {
    const doc = this.docHere();
    this.expect("interface");
    const model: InterfaceModel = withDoc({ name: this.word(), members: [] as MemberModel[] }, doc);
    while (!this.atEnd()) {
      const memberDoc = this.docHere();
      const keyword = this.word();
      const name = this.word();
      let member: MemberModel;
      if (keyword === "type") member = { kind: "type", name, type: this.list() };
      else if (keyword === "error") member = { kind: "error", name, parameters: this.struct() };
      else if (keyword === "method") {
        const input = this.struct();
        this.expect("->");
        member = { kind: "method", name, input, output: this.struct(), modes: modesOf(memberDoc) };
      } else throw new Error(`interface description: unknown keyword '${keyword}'`);
      model.members.push(withDoc(member, memberDoc));
    }
    return model;
  }
}

const primitives = new Set(["bool", "int", "float", "string", "object", "any"]);

function withDoc<T extends object>(item: T, doc: string | undefined): T & { doc?: string } {
  return doc === undefined ? item : { ...item, doc };
}

/** The model of an interface text. */
export function readInterface(text: string): InterfaceModel {
  return new Reader(text).read();
}

const lineWidth = 80;

/**
 * The interface's text in the canonical style `varlink-ts fmt` writes: one blank line between
 * members, lists on one line when they fit in 80 columns and hold no documentation, otherwise
 * one entry per line.
 */
export function printInterface(model: InterfaceModel): string {
  const out: string[] = [...docLines(model.doc, ""), `interface ${model.name}`];
  for (const member of model.members) {
    out.push("", ...docLines(member.doc, ""));
    switch (member.kind) {
      case "type":
      case "error": {
        const head = `${member.kind} ${member.name} `;
        out.push(head + printType(member.kind === "type" ? member.type : member.parameters, "", head.length, 0));
        break;
      }
      case "method": {
        const head = `method ${member.name}`;
        const input = printType(member.input, "", head.length, " -> ()".length);
        const column = lastLineLength(head + input) + " -> ".length;
        out.push(`${head}${input} -> ${printType(member.output, "", column, 0)}`);
        break;
      }
    }
  }
  return out.join("\n") + "\n";
}

function docLines(doc: string | undefined, indent: string): string[] {
  return doc === undefined ? [] : doc.split("\n").map((line) => `${indent}#${line === "" ? "" : ` ${line}`}`);
}

function lastLineLength(text: string): number {
  return text.length - text.lastIndexOf("\n") - 1;
}

function holdsDoc(type: TypeModel): boolean {
  switch (type.kind) {
    case "array":
      return holdsDoc(type.element);
    case "map":
      return holdsDoc(type.value);
    case "nullable":
      return holdsDoc(type.inner);
    case "struct":
      return type.fields.some((f) => f.doc !== undefined || holdsDoc(f.type));
    case "enum":
      return type.values.some((v) => v.doc !== undefined);
    default:
      return false;
  }
}

/** `type` starting at `column`, with `suffix` more characters after it on its last line. */
function printType(type: TypeModel, indent: string, column: number, suffix: number): string {
  switch (type.kind) {
    case "array":
      return `[]${printType(type.element, indent, column + 2, suffix)}`;
    case "map":
      return `[string]${printType(type.value, indent, column + 8, suffix)}`;
    case "set":
      return "[string]()";
    case "nullable":
      return `?${printType(type.inner, indent, column + 1, suffix)}`;
    case "struct":
    case "enum": {
      const entries = type.kind === "struct" ? type.fields.map((f) => ({ head: `${f.name}: `, type: f.type as TypeModel | undefined, doc: f.doc })) : type.values.map((v) => ({ head: v.name, type: undefined, doc: v.doc }));
      const flat = `(${entries.map((e) => e.head + (e.type === undefined ? "" : typeText(e.type))).join(", ")})`;
      if (!holdsDoc(type) && column + flat.length + suffix <= lineWidth) return flat;
      const inner = `${indent}  `;
      const lines = entries.map((e, i) => {
        const comma = i < entries.length - 1 ? "," : "";
        const value = e.type === undefined ? "" : printType(e.type, inner, inner.length + e.head.length, comma.length);
        return [...docLines(e.doc, inner), `${inner}${e.head}${value}${comma}`].join("\n");
      });
      return `(\n${lines.join("\n")}\n${indent})`;
    }
    default:
      return typeText(type);
  }
}
