import { inlineSpace, lineBreak, linesOf, restOfLine } from "./line-breaks.js";
import {
  mapOf,
  mapType,
  modesOf,
  typeText,
  type Comments,
  type EnumModel,
  type EnumValueModel,
  type FieldModel,
  type InterfaceModel,
  type MemberModel,
  type StructModel,
  type TypeMapper,
  type TypeModel,
} from "./model.js";

// An interface text and its model, both ways. Reading trusts the text: it comes from generated
// code (checked when it was generated) or from a service, and the IDL front end is where texts
// get diagnostics. Comments follow the front end's rules exactly (idl/attach-comments.ts): the
// lines right above an item, each the first thing on its line, are its documentation (one space
// after `#` not part of the text); other comments before it are detached; a comment on the line
// where it ends trails it; what is left in a list or after the last member closes it.

interface Token {
  kind: "word" | "punct";
  text: string;
  line: number;
  start: number;
  end: number;
}

interface CommentToken {
  /** What follows the `#`, trailing blanks removed. */
  text: string;
  line: number;
  start: number;
  startsLine: boolean;
}

const lineBreakHere = new RegExp(lineBreak.source, "y");
const space = new RegExp(inlineSpace.source, "y");
const lineRest = new RegExp(restOfLine.source, "y");
const word = /[A-Za-z0-9_.-]+/y;

function tokenize(text: string): { tokens: Token[]; comments: CommentToken[] } {
  const tokens: Token[] = [];
  const comments: CommentToken[] = [];
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
    if (match(lineBreakHere) !== undefined) {
      line++;
      lineStart = true;
      continue;
    }
    if (match(space) !== undefined) continue;
    const start = at;
    if (text[at] === "#") {
      const comment = match(lineRest)!;
      comments.push({ text: comment.slice(1).trimEnd(), line, start, startsLine: lineStart });
      lineStart = false;
      continue;
    }
    lineStart = false;
    const name = text.startsWith("->", at) ? undefined : match(word);
    if (name !== undefined) tokens.push({ kind: "word", text: name, line, start, end: at });
    else {
      const punct = text.startsWith("->", at) ? "->" : text[at]!;
      at += punct.length;
      tokens.push({ kind: "punct", text: punct, line, start, end: at });
    }
  }
  return { tokens, comments };
}

/** What an item gets from the comments before it. */
interface Leading {
  doc: string | undefined;
  detached: string[];
}

class Reader {
  private index = 0;
  private nextComment = 0;
  private readonly tokens: Token[];
  private readonly comments: CommentToken[];

  constructor(private readonly text: string) {
    ({ tokens: this.tokens, comments: this.comments } = tokenize(text));
  }

  private get current(): Token | undefined {
    return this.tokens[this.index];
  }

  /** The last token read: where the item just read ends. */
  private get previous(): Token {
    return this.tokens[this.index - 1]!;
  }

  /** Every comment not yet given out that starts before `offset`. */
  private takeBefore(offset: number): string[] {
    const taken: string[] = [];
    for (
      let c = this.comments[this.nextComment];
      c !== undefined && c.start < offset;
      c = this.comments[++this.nextComment]
    )
      taken.push(c.text);
    return taken;
  }

  /** The comments before `token`: the block right above its line is documentation, the rest detached. */
  private takeLeading(token: Token | undefined): Leading {
    const first = this.nextComment;
    const taken = this.takeBefore(token?.start ?? this.text.length);
    let docStart = taken.length;
    let expected = (token?.line ?? Number.POSITIVE_INFINITY) - 1;
    while (docStart > 0) {
      const candidate = this.comments[first + docStart - 1]!;
      if (candidate.line !== expected || !candidate.startsLine) break;
      docStart--;
      expected--;
    }
    const docLines = taken.slice(docStart).map((text) => text.replace(/^ /, ""));
    return { doc: docLines.length > 0 ? docLines.join("\n") : undefined, detached: taken.slice(0, docStart) };
  }

  /** The comment on `line`, at or after `after` and before `limit`, if there is one. */
  private takeTrailing(line: number, after: number, limit: number): string | undefined {
    const c = this.comments[this.nextComment];
    if (c === undefined || c.line !== line || c.start < after || c.start >= limit) return undefined;
    this.nextComment++;
    return c.text;
  }

  peek(text: string): boolean {
    const token = this.current;
    return token !== undefined && token.text === text;
  }

  expect(text: string): Token {
    const token = this.current;
    if (token === undefined || token.text !== text)
      throw new Error(`interface description: expected '${text}', found '${token?.text ?? "the end"}'`);
    this.index++;
    return token;
  }

  word(): string {
    const token = this.current;
    if (token?.kind !== "word")
      throw new Error(`interface description: expected a name, found '${token?.text ?? "the end"}'`);
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
      return mapOf(value);
    }
    if (this.peek("(")) return this.list();
    const name = this.word();
    return primitives.has(name) ? { kind: name as "int" } : { kind: "named", name };
  }

  /** `(a: T, b: U)` is a struct, `(a, b)` an enum, `()` an empty struct. */
  list(): StructModel | EnumModel {
    this.expect("(");
    const fields: FieldModel[] = [];
    const values: EnumValueModel[] = [];
    while (!this.peek(")")) {
      const leading = this.takeLeading(this.current);
      const name = this.word();
      let type: TypeModel | undefined;
      if (this.peek(":")) {
        this.expect(":");
        type = this.type();
      }
      const end = this.previous;
      // A comment after the entry's comma trails it, as after the entry itself.
      const comma = this.peek(",") && !this.commentBetween(end.end, this.current!.start) ? this.current! : undefined;
      if (this.peek(",")) this.expect(",");
      const limit = this.current?.start ?? this.text.length;
      const trailing =
        comma !== undefined
          ? this.takeTrailing(comma.line, comma.end, limit)
          : this.takeTrailing(end.line, end.end, limit);
      const entry = annotated({ name }, leading, trailing);
      if (type !== undefined) fields.push({ ...entry, type });
      else values.push(entry);
    }
    const closing = this.takeBefore(this.current!.start);
    this.expect(")");
    const list: StructModel | EnumModel = values.length > 0 ? { kind: "enum", values } : { kind: "struct", fields };
    return closing.length > 0 ? { ...list, closing } : list;
  }

  private commentBetween(from: number, to: number): boolean {
    const c = this.comments[this.nextComment];
    return c !== undefined && c.start >= from && c.start < to;
  }

  struct(): StructModel {
    const list = this.list();
    if (list.kind !== "struct") throw new Error("interface description: expected a struct, found an enum");
    return list;
  }

  read(): InterfaceModel {
    const header = this.takeLeading(this.current);
    this.expect("interface");
    const nameToken = this.current;
    const name = this.word();
    const trailing = this.takeTrailing(nameToken!.line, nameToken!.start, this.current?.start ?? this.text.length);
    const members: MemberModel[] = [];
    while (this.current !== undefined) {
      const leading = this.takeLeading(this.current);
      const keyword = this.word();
      const memberName = this.word();
      let member: MemberModel;
      if (keyword === "type") member = { kind: "type", name: memberName, type: this.list() };
      else if (keyword === "error") member = { kind: "error", name: memberName, parameters: this.struct() };
      else if (keyword === "method") {
        const input = this.struct();
        this.expect("->");
        member = { kind: "method", name: memberName, input, output: this.struct(), modes: modesOf(leading.doc) };
      } else throw new Error(`interface description: unknown keyword '${keyword}'`);
      const end = this.previous;
      members.push(
        annotated(member, leading, this.takeTrailing(end.line, end.end, this.current?.start ?? this.text.length)),
      );
    }
    const closing = this.takeBefore(Number.POSITIVE_INFINITY);
    const model = annotated({ name, members } as InterfaceModel, header, trailing);
    return closing.length > 0 ? { ...model, comments: { ...model.comments, closing } } : model;
  }
}

const primitives = new Set(["bool", "int", "float", "string", "object", "any"]);

/** `item` with its documentation and comments, each only when there is one. */
function annotated<T extends object>(
  item: T,
  leading: Leading,
  trailing: string | undefined,
): T & { doc?: string; comments?: Comments } {
  const comments: Comments = {
    ...(leading.detached.length > 0 ? { detached: leading.detached } : {}),
    ...(trailing !== undefined ? { trailing } : {}),
  };
  return {
    ...item,
    ...(leading.doc !== undefined ? { doc: leading.doc } : {}),
    ...(comments.detached !== undefined || comments.trailing !== undefined ? { comments } : {}),
  };
}

/** The model of an interface text. */
export function readInterface(text: string): InterfaceModel {
  return new Reader(text).read();
}

const lineWidth = 80;
const indentUnit = "  ";

/**
 * The interface's text in the canonical style `varlink-ts fmt` writes, every comment in its
 * place: one blank line between members, lists on one line when they fit in 80 columns and hold
 * no comments, otherwise one entry per line. For a text read with readInterface, this is what
 * fmt makes of it.
 */
export function printInterface(model: InterfaceModel): string {
  const out: string[] = [];
  pushDetached(out, model.comments?.detached, "");
  pushDoc(out, model.doc, "");
  out.push(`interface ${model.name}${trailing(model.comments?.trailing)}`);
  for (const member of model.members) {
    out.push("");
    pushDetached(out, member.comments?.detached, "");
    pushDoc(out, member.doc, "");
    out.push(printMember(member) + trailing(member.comments?.trailing));
  }
  const closing = model.comments?.closing ?? [];
  if (closing.length > 0) {
    out.push("");
    pushComments(out, closing, "");
  }
  return `${out.join("\n")}\n`;
}

function printMember(member: MemberModel): string {
  switch (member.kind) {
    case "type":
    case "error": {
      const head = `${member.kind} ${member.name} `;
      return head + printType(member.kind === "type" ? member.type : member.parameters, "", head.length, 0);
    }
    case "method": {
      const head = `method ${member.name}`;
      const input = printType(member.input, "", head.length, " -> ()".length);
      const column = lastLineLength(head + input) + " -> ".length;
      return `${head}${input} -> ${printType(member.output, "", column, 0)}`;
    }
  }
}

/** Detached comments keep a blank line after them, so that they never turn into documentation. */
function pushDetached(out: string[], comments: readonly string[] | undefined, indent: string): void {
  if (comments === undefined || comments.length === 0) return;
  pushComments(out, comments, indent);
  out.push("");
}

/** Comments, each the text after its `#`, one line each: a line break in one starts another. */
function pushComments(out: string[], comments: readonly string[], indent: string): void {
  for (const comment of comments) for (const line of linesOf(comment)) out.push(`${indent}#${line}`);
}

function pushDoc(out: string[], doc: string | undefined, indent: string): void {
  if (doc === undefined) return;
  for (const line of linesOf(doc)) out.push(line === "" ? `${indent}#` : `${indent}# ${line}`);
}

function trailing(comment: string | undefined): string {
  // The end of a line holds one line of comment.
  return comment === undefined ? "" : ` #${linesOf(comment).join(" ")}`;
}

function lastLineLength(text: string): number {
  return text.length - text.lastIndexOf("\n") - 1;
}

const commentsMapper: TypeMapper<boolean> = {
  leaf: (type) => {
    if (type.kind === "enum") return (type.closing?.length ?? 0) > 0 || type.values.some(entryHoldsComments);
    return type.kind === "set" && (type.closing?.length ?? 0) > 0;
  },
  array: (element) => element,
  map: (value) => value,
  nullable: (inner) => inner,
  struct: (type, fields) =>
    (type.closing?.length ?? 0) > 0 || type.fields.some((f, i) => entryHoldsComments(f) || fields[i]!),
};

function holdsComments(type: TypeModel): boolean {
  return mapType(type, commentsMapper);
}

function entryHoldsComments(entry: FieldModel | EnumValueModel): boolean {
  return (
    entry.doc !== undefined || (entry.comments?.detached?.length ?? 0) > 0 || entry.comments?.trailing !== undefined
  );
}

/** `type` starting at `column`, with `suffix` more characters after it on its last line. */
function printType(type: TypeModel, indent: string, column: number, suffix: number): string {
  switch (type.kind) {
    case "array":
      return `[]${printType(type.element, indent, column + 2, suffix)}`;
    case "map":
      return `[string]${printType(type.value, indent, column + 8, suffix)}`;
    case "nullable":
      return `?${printType(type.inner, indent, column + 1, suffix)}`;
    case "set":
      return `[string]${printType({ kind: "struct", fields: [], closing: type.closing }, indent, column + 8, suffix)}`;
    case "struct":
    case "enum": {
      const flat = typeText(type);
      if (!holdsComments(type) && column + flat.length + suffix <= lineWidth) return flat;
      const inner = indent + indentUnit;
      const entries: Array<FieldModel | EnumValueModel> = type.kind === "struct" ? type.fields : type.values;
      const out: string[] = ["("];
      entries.forEach((entry, index) => {
        pushDetached(out, entry.comments?.detached, inner);
        pushDoc(out, entry.doc, inner);
        const comma = index < entries.length - 1 ? "," : "";
        const head = `${inner}${entry.name}`;
        const body = "type" in entry ? `${head}: ${printType(entry.type, inner, head.length + 2, comma.length)}` : head;
        out.push(body + comma + trailing(entry.comments?.trailing));
      });
      pushComments(out, type.closing ?? [], inner);
      out.push(`${indent})`);
      return out.join("\n");
    }
    default:
      return typeText(type);
  }
}
