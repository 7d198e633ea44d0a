import type { CstElement, CstNode, IToken } from "chevrotain";
import type {
  Comment,
  EnumType,
  ErrorDeclaration,
  MethodDeclaration,
  TypeDeclaration,
  EnumValue,
  Field,
  InterfaceDefinition,
  Member,
  PrimitiveName,
  Range,
  StructType,
  TypeNode,
} from "./ast.js";
import { CommentCursor, trivia } from "./comments.js";
import { methodModes } from "./modes.js";
import type { DiagnosticSink } from "./diagnostics.js";
import { spanRanges, tokenRange, type LineMap } from "./positions.js";
import { Comma, InterfaceKeyword } from "./tokens.js";

// Turns the concrete syntax tree into the plain AST. It reports what is wrong with the shape
// of lists and type prefixes (which the permissive grammar lets through) and attaches every
// comment; naming, duplicate and reference rules are the checker's job.

const primitives = new Set<string>(["bool", "int", "float", "string", "object", "any"]);

function isToken(element: CstElement): element is IToken {
  return "image" in element;
}

function children(node: CstNode, key: string): CstElement[] {
  return node.children[key] ?? [];
}

function childNodes(node: CstNode, key: string): CstNode[] {
  return children(node, key).filter((e): e is CstNode => !isToken(e));
}

function childTokens(node: CstNode, key: string): IToken[] {
  return children(node, key).filter(isToken).filter((t) => !t.isInsertedInRecovery);
}

function firstToken(node: CstNode, key: string): IToken | undefined {
  return childTokens(node, key)[0];
}

function startOffset(element: CstElement): number {
  return isToken(element) ? element.startOffset : (element.location?.startOffset ?? Number.NaN);
}

/** The one node below a node that holds a single alternative (a member). */
function childNode(node: CstNode): CstNode | undefined {
  for (const elements of Object.values(node.children)) for (const element of elements) if (!isToken(element)) return element;
  return undefined;
}

/** A node's own first token in source order (its keyword), without sorting every child. */
function firstTokenOf(node: CstNode): IToken | undefined {
  let first: IToken | undefined;
  for (const elements of Object.values(node.children)) {
    for (const element of elements) {
      if (isToken(element) && !element.isInsertedInRecovery && (first === undefined || element.startOffset < first.startOffset)) first = element;
    }
  }
  return first;
}

/** Every element of a node in source order, whatever its label. */
function ordered(node: CstNode): CstElement[] {
  return Object.values(node.children)
    .flat()
    .filter((e) => !Number.isNaN(startOffset(e)) && !(isToken(e) && e.isInsertedInRecovery))
    .sort((a, b) => startOffset(a) - startOffset(b));
}

export class AstBuilder {
  private readonly cursor: CommentCursor;
  /** Members whose syntax tree was recovered after a parse error. */
  readonly incomplete = new Set<Member>();

  constructor(
    private readonly lines: LineMap,
    private readonly sink: DiagnosticSink,
    comments: IToken[],
    /** Whether the parser recovered from errors: only then can a member be incomplete. */
    private readonly recovered: boolean,
  ) {
    this.cursor = new CommentCursor(comments, lines);
  }

  private range(node: CstNode): Range {
    const location = node.location;
    const start = location?.startOffset ?? 0;
    const end = (location?.endOffset ?? start) + 1;
    return this.lines.range(start, Math.max(end - start, 0));
  }

  private endLine(node: CstNode): number {
    return node.location?.endLine ?? 1;
  }

  private endOffset(node: CstNode): number {
    return (node.location?.endOffset ?? 0) + 1;
  }

  /** Returns `undefined` when there is no interface header; the caller reports that. */
  buildFile(file: CstNode): { definition: InterfaceDefinition | undefined; members: Member[]; junkAtStart: IToken | undefined } {
    const header = childNodes(file, "header")[0];
    const memberNodes = childNodes(file, "member");
    const text = this.lines.text;

    let definition: InterfaceDefinition | undefined;
    if (header !== undefined) {
      const keyword = firstToken(header, "Kw_interface");
      const nameToken = firstToken(header, "InterfaceName");
      const leading = this.cursor.takeLeading(keyword?.startOffset ?? 0, keyword?.startLine ?? 1);
      const nextStart = memberNodes[0]?.location?.startOffset ?? text.length;
      const trailing = nameToken
        ? this.cursor.takeTrailing(nameToken.startLine ?? 0, nameToken.startOffset, nextStart)
        : undefined;
      definition = {
        kind: "interface",
        name: nameToken?.image ?? "",
        doc: leading.doc,
        trivia: trivia(leading.detached, trailing),
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
      const limit = memberNodes[index + 1]?.location?.startOffset ?? text.length;
      const member = this.buildMember(memberNode, limit, index === 0 && header === undefined);
      if (member === "junk-at-start") {
        junkAtStart = ordered(memberNode).flatMap((e) => (isToken(e) ? [e] : childTokensDeep(e)))[0];
      } else if (member !== undefined) {
        members.push(member);
        if (this.recovered && isRecovered(memberNode)) this.incomplete.add(member);
      }
    });
    const closing = this.cursor.takeBefore(Number.POSITIVE_INFINITY);
    if (definition !== undefined) {
      definition.members = members;
      definition.closingComments = closing;
    }
    return { definition, members, junkAtStart };
  }

  private buildMember(memberNode: CstNode, limit: number, atStart: boolean): Member | "junk-at-start" | undefined {
    const node = childNode(memberNode);
    if (node === undefined) return undefined;
    if (node.name === "junk") {
      const first = ordered(node).find(isToken);
      if (first === undefined) return undefined;
      if (atStart) return "junk-at-start";
      this.reportJunk(first);
      return undefined;
    }
    const keyword = firstTokenOf(node);
    const nameToken = firstToken(node, "Identifier");
    if (keyword === undefined) return undefined;
    const leading = this.cursor.takeLeading(keyword.startOffset, keyword.startLine ?? 1);
    const common = {
      name: nameToken?.image ?? "",
      doc: leading.doc,
      nameRange: nameToken ? tokenRange(nameToken) : tokenRange(keyword),
      range: this.range(node),
    };
    const finish = <T extends Member>(member: Omit<T, "trivia">): T => {
      const trailing = this.cursor.takeTrailing(this.endLine(node), this.endOffset(node), limit);
      return { ...member, trivia: trivia(leading.detached, trailing) } as T;
    };
    switch (node.name) {
      case "typeDeclaration": {
        const definition = this.buildType(childNodes(node, "typeExpression")[0]);
        if (definition === undefined) return undefined;
        return finish<TypeDeclaration>({ kind: "type", ...common, definition });
      }
      case "methodDeclaration":
        return finish<MethodDeclaration>({
          kind: "method",
          ...common,
          input: this.buildType(childNodes(node, "input")[0]),
          output: this.buildType(childNodes(node, "output")[0]),
          modes: methodModes(leading.doc),
        });
      case "errorDeclaration":
        return finish<ErrorDeclaration>({ kind: "error", ...common, parameters: this.buildType(childNodes(node, "typeExpression")[0]) });
      default:
        return undefined;
    }
  }

  private reportJunk(first: IToken): void {
    if (first.tokenType === InterfaceKeyword) {
      this.sink.report("duplicate-interface", tokenRange(first), "a file holds one interface: unexpected second 'interface'");
    } else if (/^[\p{L}\p{N}_]/u.test(first.image)) {
      this.sink.report(
        "unknown-keyword",
        tokenRange(first),
        `unknown keyword '${first.image}': a member starts with 'type', 'method' or 'error'`,
      );
    } else {
      this.sink.report("syntax-error", tokenRange(first), `unexpected '${first.image}': expected 'type', 'method' or 'error'`);
    }
  }

  private buildType(node: CstNode | undefined): TypeNode | undefined {
    if (node === undefined) return undefined;
    const identifier = firstToken(node, "Identifier");
    const listNode = childNodes(node, "list")[0];
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

    for (const postfix of childTokens(node, "postfix")) {
      this.sink.report(
        "postfix-array",
        tokenRange(postfix),
        `'${postfix.image}' after a type is not varlink: arrays are written before the element type, as '[]${typeText(identifier, listNode)}'`,
      );
    }
    const prefixes = childTokens(node, "prefix");
    for (let i = prefixes.length - 1; i >= 0; i--) {
      const prefix = prefixes[i]!;
      const range = spanRanges(tokenRange(prefix), type.range);
      if (prefix.image === "?") {
        if (type.kind === "nullable") {
          // One report for a whole run of question marks.
          if (prefixes[i - 1]?.image !== "?") {
            this.sink.report("double-nullable", spanRanges(tokenRange(prefix), type.range), "'??' is not a type: a type is nullable once");
          }
          continue;
        }
        type = { kind: "nullable", inner: type, range };
      } else if (prefix.image === "[string]") {
        type = { kind: "map", value: type, range };
      } else {
        if (prefix.image !== "[]") this.reportBadBrackets(prefix);
        type = { kind: "array", element: type, range };
      }
    }
    return type;
  }

  private reportBadBrackets(prefix: IToken): void {
    const inside = prefix.image.slice(1, -1);
    const why =
      inside.trim() === ""
        ? "an array prefix is written '[]' with nothing between the brackets"
        : inside.trim() === "string"
          ? "a map prefix is written '[string]' without spaces"
          : /^\s*\d/.test(inside)
            ? "varlink arrays have no size: write '[]'"
            : `map keys are always strings: write '[string]', not '${prefix.image}'`;
    this.sink.report("invalid-type-prefix", tokenRange(prefix), `invalid prefix '${prefix.image}': ${why}`);
  }

  private buildList(list: CstNode): StructType | EnumType {
    const close = firstToken(list, "RParen");
    const items = ordered(list).filter((e) => !isToken(e) || e.tokenType === Comma);
    this.checkCommas(items, close);

    const listItems = items.filter((e): e is CstNode => !isToken(e));
    const typed = listItems.filter((item) => childTokens(item, "Colon").length > 0);
    const isStruct = listItems.length === 0 || childTokens(listItems[0]!, "Colon").length > 0;
    if (typed.length > 0 && typed.length < listItems.length) {
      const odd = listItems.find((item) => (childTokens(item, "Colon").length > 0) !== isStruct)!;
      const oddName = firstToken(odd, "name");
      this.sink.report(
        "mixed-struct-enum",
        oddName ? tokenRange(oddName) : this.range(odd),
        isStruct
          ? `'${oddName?.image}' has no type, but this list is a struct: every field needs 'name: type'`
          : `'${oddName?.image}' has a type, but this list is an enum of bare names`,
      );
    }

    const limitAfter = (index: number): number =>
      startOffset(items[index + 1] ?? close ?? { image: "", startOffset: this.lines.text.length } as IToken);
    const fields: Field[] = [];
    const values: EnumValue[] = [];
    items.forEach((item, index) => {
      if (isToken(item)) return;
      const nameToken = firstToken(item, "name");
      if (nameToken === undefined) return;
      const leading = this.cursor.takeLeading(nameToken.startOffset, nameToken.startLine ?? 1);
      const hasType = childTokens(item, "Colon").length > 0;
      const type = hasType ? this.buildType(childNodes(item, "typeExpression")[0]) : undefined;
      // The comma after an item belongs to its line, so a comment after the comma trails the item.
      const next = items[index + 1];
      const anchor = next !== undefined && isToken(next) ? next : undefined;
      const anchorLine = anchor?.startLine ?? this.endLine(item);
      const anchorEnd = anchor ? anchor.startOffset + 1 : this.endOffset(item);
      const trailing = this.cursor.takeTrailing(anchorLine, anchorEnd, limitAfter(anchor ? index + 1 : index));
      const common = {
        name: nameToken.image,
        doc: leading.doc,
        trivia: trivia(leading.detached, trailing),
        nameRange: tokenRange(nameToken),
        range: this.range(item),
      };
      if (isStruct && hasType && type !== undefined) fields.push({ kind: "field", ...common, type });
      if (!isStruct && !hasType) values.push({ kind: "enumValue", ...common });
    });
    const closingComments: Comment[] = close ? this.cursor.takeBefore(close.startOffset) : [];
    const range = this.range(list);
    return isStruct
      ? { kind: "struct", fields, closingComments, range }
      : { kind: "enum", values, closingComments, range };
  }

  private checkCommas(items: CstElement[], close: IToken | undefined): void {
    items.forEach((item, index) => {
      const previous = items[index - 1];
      if (isToken(item)) {
        if (previous === undefined || isToken(previous)) {
          this.sink.report("syntax-error", tokenRange(item), "unexpected ',': expected a field or enum value name");
        } else if (index === items.length - 1 && close !== undefined) {
          this.sink.report("trailing-comma", tokenRange(item), "a comma after the last entry is not allowed");
        }
      } else if (previous !== undefined && !isToken(previous)) {
        const name = firstToken(item, "name");
        this.sink.report(
          "missing-comma",
          name ? tokenRange(name) : this.range(item),
          `expected ',' before '${name?.image ?? "this entry"}'`,
        );
      }
    });
  }
}

/** Whether error recovery built any part of `node` (no order needed: every child is visited). */
function isRecovered(node: CstNode): boolean {
  if (node.recoveredNode === true) return true;
  for (const children of Object.values(node.children)) {
    for (const child of children) if (isToken(child) ? child.isInsertedInRecovery === true : isRecovered(child)) return true;
  }
  return false;
}

function childTokensDeep(node: CstNode): IToken[] {
  return ordered(node).flatMap((e) => (isToken(e) ? [e] : childTokensDeep(e)));
}

function typeText(identifier: IToken | undefined, list: CstNode | undefined): string {
  return identifier?.image ?? (list ? "(...)" : "T");
}
