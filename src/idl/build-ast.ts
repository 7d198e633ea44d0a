import type { CstNode, IToken } from "chevrotain";
import type {
  EnumType,
  EnumValue,
  Field,
  InterfaceDefinition,
  Member,
  PrimitiveName,
  Range,
  StructType,
  TypeNode,
} from "./ast.js";
import { attachComments } from "./attach-comments.js";
import type {
  FileCstNode,
  JunkCstNode,
  ListCstNode,
  ListItemCstNode,
  MemberCstNode,
  TypeExpressionCstNode,
} from "./cst.js";
import type { DiagnosticSink } from "./diagnostics.js";
import { spanRanges, tokenRange, type LineMap } from "./positions.js";
import {
  checkCommas,
  reportBadBrackets,
  reportDoubleNullable,
  reportJunk,
  reportMixedList,
  reportPostfix,
  type ListEntry,
} from "./shape-checks.js";

// Turns the concrete syntax tree into the plain AST, reading it through the typed CST (cst.ts).
// The shape rules the grammar lets through are reported by shape-checks.ts as each shape is met;
// comments are given to the finished AST by attach-comments.ts.

const primitives = new Set<string>(["bool", "int", "float", "string", "object", "any"]);

/** The first real token of a child list: recovery may insert tokens that are not in the text. */
function first(tokens: IToken[] | undefined): IToken | undefined {
  return tokens?.find((token) => !token.isInsertedInRecovery);
}

function real(tokens: IToken[] | undefined): IToken[] {
  return (tokens ?? []).filter((token) => !token.isInsertedInRecovery);
}

/** What `attachComments` fills in; the builder leaves it empty (a fresh object per node). */
function noComments(): { doc: undefined; trivia: { detached: []; trailing: undefined } } {
  return { doc: undefined, trivia: { detached: [], trailing: undefined } };
}

export class AstBuilder {
  /** Members whose syntax tree was recovered after a parse error. */
  readonly incomplete = new Set<Member>();

  constructor(
    private readonly lines: LineMap,
    private readonly sink: DiagnosticSink,
    private readonly comments: IToken[],
    /** Whether the parser recovered from errors: only then can a member be incomplete. */
    private readonly recovered: boolean,
  ) {}

  private range(node: CstNode): Range {
    const start = node.location?.startOffset ?? 0;
    const end = (node.location?.endOffset ?? start) + 1;
    return this.lines.range(start, Math.max(end - start, 0));
  }

  /** `definition` is undefined when there is no interface header; the caller reports that. */
  buildFile(file: FileCstNode): {
    definition: InterfaceDefinition | undefined;
    members: Member[];
    junkAtStart: IToken | undefined;
  } {
    const header = file.children.header?.[0];
    const memberNodes = file.children.member ?? [];
    const text = this.lines.text;

    let definition: InterfaceDefinition | undefined;
    if (header !== undefined) {
      const nameToken = first(header.children.InterfaceName);
      definition = {
        kind: "interface",
        name: nameToken?.image ?? "",
        ...noComments(),
        members: [],
        closingComments: [],
        nameRange: nameToken ? tokenRange(nameToken) : this.range(header),
        range: this.lines.range(0, text.length),
        source: text,
      };
    }

    const members: Member[] = [];
    let junkAtStart: IToken | undefined;
    memberNodes.forEach((memberNode, index) => {
      const junk = memberNode.children.junk?.[0];
      if (junk !== undefined) {
        const token = firstJunkToken(junk);
        if (token === undefined) return;
        if (index === 0 && header === undefined) junkAtStart = token;
        else reportJunk(token, this.sink);
        return;
      }
      const member = this.buildMember(memberNode);
      if (member === undefined) return;
      members.push(member);
      if (this.recovered && isRecovered(memberNode)) this.incomplete.add(member);
    });
    if (definition !== undefined) {
      definition.members = members;
      attachComments(definition, this.comments, this.lines, first(header?.children.InterfaceKeyword));
    }
    return { definition, members, junkAtStart };
  }

  private buildMember(memberNode: MemberCstNode): Member | undefined {
    const typeNode = memberNode.children.typeDeclaration?.[0];
    const methodNode = memberNode.children.methodDeclaration?.[0];
    const errorNode = memberNode.children.errorDeclaration?.[0];
    const declaration = typeNode ?? methodNode ?? errorNode;
    const keyword = first(
      typeNode?.children.TypeKeyword ?? methodNode?.children.MethodKeyword ?? errorNode?.children.ErrorKeyword,
    );
    if (declaration === undefined || keyword === undefined) return undefined;
    const nameToken = first(declaration.children.Identifier);
    const common = {
      name: nameToken?.image ?? "",
      ...noComments(),
      nameRange: nameToken ? tokenRange(nameToken) : tokenRange(keyword),
      range: this.range(declaration),
    };
    if (typeNode !== undefined) {
      const definition = this.buildType(typeNode.children.typeExpression?.[0]);
      return definition === undefined ? undefined : { kind: "type", ...common, definition };
    }
    if (methodNode !== undefined) {
      const modes = { more: undefined, upgrade: undefined };
      return {
        kind: "method",
        ...common,
        input: this.buildType(methodNode.children.input?.[0]),
        output: this.buildType(methodNode.children.output?.[0]),
        modes,
      };
    }
    return { kind: "error", ...common, parameters: this.buildType(errorNode?.children.typeExpression?.[0]) };
  }

  private buildType(node: TypeExpressionCstNode | undefined): TypeNode | undefined {
    if (node === undefined) return undefined;
    const identifier = first(node.children.Identifier);
    const listNode = node.children.list?.[0];
    let type: TypeNode | undefined;
    if (identifier !== undefined) {
      const range = tokenRange(identifier);
      type = primitives.has(identifier.image)
        ? { kind: "primitive", name: identifier.image as PrimitiveName, range }
        : { kind: "reference", name: identifier.image, range };
    } else if (listNode !== undefined) {
      type = this.buildList(listNode);
    }
    if (type === undefined) return undefined;

    for (const postfix of real(node.children.postfix)) reportPostfix(postfix, identifier?.image ?? "(...)", this.sink);
    const prefixes = real(node.children.prefix);
    for (let i = prefixes.length - 1; i >= 0; i--) {
      const prefix = prefixes[i]!;
      const range = spanRanges(tokenRange(prefix), type.range);
      if (prefix.image === "?") {
        if (type.kind === "nullable") {
          // One report for a whole run of question marks.
          if (prefixes[i - 1]?.image !== "?") reportDoubleNullable(prefix, type.range, this.sink);
          continue;
        }
        type = { kind: "nullable", inner: type, range };
      } else if (prefix.image === "[string]") {
        type = { kind: "map", value: type, range };
      } else {
        if (prefix.image !== "[]") reportBadBrackets(prefix, this.sink);
        type = { kind: "array", element: type, range };
      }
    }
    return type;
  }

  private buildList(list: ListCstNode): StructType | EnumType {
    const close = first(list.children.RParen);
    const items = list.children.listItem ?? [];
    // Entries and commas in source order: two sorted runs, merged.
    const entries: Array<{ comma: IToken } | { item: ListItemCstNode }> = mergeBySource(
      real(list.children.Comma).map((comma) => ({ comma, at: comma.startOffset })),
      items.map((item) => ({ item, at: item.location?.startOffset ?? 0 })),
    );
    const itemName = (item: ListItemCstNode): IToken | undefined => first(item.children.name);
    checkCommas(
      entries.map(
        (entry): ListEntry =>
          "comma" in entry ? entry : { name: itemName(entry.item), range: this.range(entry.item) },
      ),
      close !== undefined,
      this.sink,
    );

    const hasType = (item: ListItemCstNode): boolean => real(item.children.Colon).length > 0;
    const isStruct = items.length === 0 || hasType(items[0]!);
    const odd = items.find((item) => hasType(item) !== isStruct);
    if (odd !== undefined) reportMixedList({ name: itemName(odd), range: this.range(odd) }, isStruct, this.sink);

    const fields: Field[] = [];
    const values: EnumValue[] = [];
    for (const item of items) {
      const nameToken = itemName(item);
      if (nameToken === undefined) continue;
      const typed = hasType(item);
      const type = typed ? this.buildType(item.children.typeExpression?.[0]) : undefined;
      const common = {
        name: nameToken.image,
        ...noComments(),
        nameRange: tokenRange(nameToken),
        range: this.range(item),
      };
      if (isStruct && typed && type !== undefined) fields.push({ kind: "field", ...common, type });
      if (!isStruct && !typed) values.push({ kind: "enumValue", ...common });
    }
    const range = this.range(list);
    return isStruct
      ? { kind: "struct", fields, closingComments: [], range }
      : { kind: "enum", values, closingComments: [], range };
  }
}

/** Merges two runs already in source order (`at`), dropping the key. */
function mergeBySource<A extends { at: number }, B extends { at: number }>(
  a: A[],
  b: B[],
): Array<Omit<A, "at"> | Omit<B, "at">> {
  const merged: Array<Omit<A, "at"> | Omit<B, "at">> = [];
  let i = 0;
  let j = 0;
  const strip = <T extends { at: number }>({ at: _at, ...rest }: T): Omit<T, "at"> => rest;
  while (i < a.length || j < b.length) {
    if (j >= b.length || (i < a.length && a[i]!.at < b[j]!.at)) merged.push(strip(a[i++]!));
    else merged.push(strip(b[j++]!));
  }
  return merged;
}

/** The first token of a run of junk, whichever kind it is. */
function firstJunkToken(junk: JunkCstNode): IToken | undefined {
  let earliest: IToken | undefined;
  for (const tokens of Object.values(junk.children)) {
    const token = first(tokens);
    if (token !== undefined && (earliest === undefined || token.startOffset < earliest.startOffset)) earliest = token;
  }
  return earliest;
}

/** Whether error recovery built any part of `node` (no order needed: every child is visited). */
function isRecovered(node: CstNode): boolean {
  if (node.recoveredNode === true) return true;
  for (const children of Object.values(node.children)) {
    for (const child of children)
      if ("image" in child ? child.isInsertedInRecovery === true : isRecovered(child)) return true;
  }
  return false;
}
