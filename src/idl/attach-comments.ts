import type { IToken } from "chevrotain";
import type { EnumType, EnumValue, Field, InterfaceDefinition, StructType, TypeNode } from "./ast.js";
import { CommentCursor, trivia } from "./comments.js";
import { methodModes } from "./modes.js";
import type { LineMap } from "./positions.js";
import { memberTypes } from "./walk.js";

// Gives every comment of the file to a node of the built AST, in source order, each exactly
// once: the block right above a declaration, field or enum value is its documentation (and a
// method's mode annotations come from it), other comments before it are detached, the comment at
// the end of its last line trails it, and what is left inside a list or after the last member
// closes the list or the file.

/** Fills in `doc`, `trivia`, closing comments and method modes of a freshly built AST. */
export function attachComments(
  definition: InterfaceDefinition,
  comments: IToken[],
  lines: LineMap,
  headerKeyword: IToken | undefined,
): void {
  const cursor = new CommentCursor(comments, lines);
  const text = lines.text;

  const attachList = (list: StructType | EnumType): void => {
    const entries: Array<Field | EnumValue> = list.kind === "struct" ? list.fields : list.values;
    // A list's range ends with its ')' unless recovery left it open.
    const close = text[list.range.end.offset - 1] === ")" ? list.range.end.offset - 1 : undefined;
    entries.forEach((entry, index) => {
      const leading = cursor.takeLeading(entry.nameRange.start.offset, entry.nameRange.start.line);
      if (entry.kind === "field") attachType(entry.type);
      const next = entries[index + 1]?.range.start.offset ?? close ?? text.length;
      // The comma after an entry belongs to its line, so a comment after the comma trails it.
      const comma = commaAfter(text, entry.range.end.offset, next);
      const trailing =
        comma !== undefined
          ? cursor.takeTrailing(lines.position(comma).line, comma + 1, next)
          : cursor.takeTrailing(entry.range.end.line, entry.range.end.offset, next);
      entry.doc = leading.doc;
      entry.trivia = trivia(leading.detached, trailing);
    });
    list.closingComments = close !== undefined ? cursor.takeBefore(close) : [];
  };

  const attachType = (type: TypeNode): void => {
    switch (type.kind) {
      case "array":
        return attachType(type.element);
      case "map":
        return attachType(type.value);
      case "nullable":
        return attachType(type.inner);
      case "struct":
      case "enum":
        return attachList(type);
      default:
        return;
    }
  };

  const header = cursor.takeLeading(headerKeyword?.startOffset ?? 0, headerKeyword?.startLine ?? 1);
  definition.doc = header.doc;
  const firstMember = definition.members[0]?.range.start.offset ?? text.length;
  const headerTrailing =
    definition.name !== ""
      ? cursor.takeTrailing(definition.nameRange.start.line, definition.nameRange.start.offset, firstMember)
      : undefined;
  definition.trivia = trivia(header.detached, headerTrailing);

  definition.members.forEach((member, index) => {
    const leading = cursor.takeLeading(member.range.start.offset, member.range.start.line);
    for (const [type] of memberTypes(member)) attachType(type);
    const limit = definition.members[index + 1]?.range.start.offset ?? text.length;
    member.doc = leading.doc;
    member.trivia = trivia(
      leading.detached,
      cursor.takeTrailing(member.range.end.line, member.range.end.offset, limit),
    );
    if (member.kind === "method") member.modes = methodModes(leading.doc);
  });
  definition.closingComments = cursor.takeBefore(Number.POSITIVE_INFINITY);
}

/** The offset of the ',' that follows `from` across blanks only, before `limit`. */
function commaAfter(text: string, from: number, limit: number): number | undefined {
  for (let i = from; i < limit; i++) {
    const c = text[i];
    if (c === ",") return i;
    if (c !== " " && c !== "\t" && c !== "\n" && c !== "\r") return undefined;
  }
  return undefined;
}
