import {
  LineMap,
  parseInterface,
  walkTypes,
  type Diagnostic,
  type EnumValue,
  type Field,
  type InterfaceDefinition,
  type Member,
  type PrimitiveType,
  type Range,
  type ReferenceType,
} from "../idl/index.js";

// One parse of a document and the index every feature reads: what is declared, what refers to
// it, and what stands at an offset. Built once per version; the features never parse again.

export type Target =
  | { kind: "member"; member: Member; range: Range }
  | { kind: "reference"; reference: ReferenceType; member: Member | undefined }
  | { kind: "builtin"; type: PrimitiveType }
  | { kind: "field"; field: Field | EnumValue; owner: Member }
  | { kind: "interface"; definition: InterfaceDefinition }
  | { kind: "keyword"; keyword: string; range: Range };

export class Analysis {
  readonly definition: InterfaceDefinition | undefined;
  readonly diagnostics: Diagnostic[];
  /** Members by name (types, methods and errors share one namespace). */
  readonly members = new Map<string, Member>();
  /** Every type reference, in source order, with the member it names if there is one. */
  readonly references: Array<{ reference: ReferenceType; owner: Member }> = [];
  /** Every use of a builtin type. */
  readonly builtins: PrimitiveType[] = [];
  /** Fields and enum values with the member they are in. */
  readonly fields: Array<{ field: Field | EnumValue; owner: Member }> = [];

  constructor(
    readonly text: string,
    options: { lint: boolean; file: string },
  ) {
    const { definition, diagnostics } = parseInterface(text, options);
    this.definition = definition;
    this.diagnostics = diagnostics;
    if (definition === undefined) return;
    for (const member of definition.members)
      if (member.name !== "" && !this.members.has(member.name)) this.members.set(member.name, member);
    walkTypes(definition, (type, site) => {
      if (type.kind === "reference") this.references.push({ reference: type, owner: site.member });
      if (type.kind === "primitive") this.builtins.push(type);
      if (type.kind === "struct") for (const field of type.fields) this.fields.push({ field, owner: site.member });
      if (type.kind === "enum") for (const value of type.values) this.fields.push({ field: value, owner: site.member });
    });
  }

  /** The declared type a reference names, if any. */
  typeNamed(name: string): Member | undefined {
    const member = this.members.get(name);
    return member?.kind === "type" ? member : undefined;
  }

  /** What stands at `offset`: a name, a reference, or a keyword. */
  targetAt(offset: number): Target | undefined {
    const definition = this.definition;
    if (definition === undefined) return undefined;
    if (contains(definition.nameRange, offset)) return { kind: "interface", definition };
    for (const { reference } of this.references)
      if (contains(reference.range, offset))
        return { kind: "reference", reference, member: this.members.get(reference.name) };
    for (const type of this.builtins) if (contains(type.range, offset)) return { kind: "builtin", type };
    for (const member of definition.members)
      if (contains(member.nameRange, offset)) return { kind: "member", member, range: member.nameRange };
    for (const { field, owner } of this.fields)
      if (contains(field.nameRange, offset)) return { kind: "field", field, owner };
    return this.keywordAt(offset);
  }

  /** Every place a member's name appears: its declaration, then each reference to it. */
  occurrences(member: Member): Range[] {
    const uses =
      member.kind === "type"
        ? this.references
            .filter(({ reference }) => reference.name === member.name)
            .map(({ reference }) => reference.range)
        : [];
    return [member.nameRange, ...uses];
  }

  /** The member that encloses `offset`, if any. */
  memberAt(offset: number): Member | undefined {
    return this.definition?.members.find(
      (member) => member.range.start.offset <= offset && offset <= member.range.end.offset,
    );
  }

  private keywordAt(offset: number): Target | undefined {
    const word = wordAt(this.text, offset);
    if (word === undefined || !keywords.has(word.text)) return undefined;
    // A keyword only where a declaration starts: the first word of its line, outside comments.
    const lineStart = this.text.lastIndexOf("\n", word.start - 1) + 1;
    if (this.text.slice(lineStart, word.start).trim() !== "") return undefined;
    return {
      kind: "keyword",
      keyword: word.text,
      range: new LineMap(this.text).range(word.start, word.end - word.start),
    };
  }
}

const keywords = new Set(["interface", "type", "method", "error"]);

export function contains(range: Range, offset: number): boolean {
  return range.start.offset <= offset && offset <= range.end.offset;
}

/** The identifier around `offset`, if there is one. */
export function wordAt(text: string, offset: number): { text: string; start: number; end: number } | undefined {
  const isWord = (c: string | undefined): boolean => c !== undefined && /[\p{L}\p{N}_]/u.test(c);
  let start = offset;
  while (start > 0 && isWord(text[start - 1])) start--;
  let end = offset;
  while (end < text.length && isWord(text[end])) end++;
  return end > start ? { text: text.slice(start, end), start, end } : undefined;
}
