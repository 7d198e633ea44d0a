import { Node, ts } from "ts-morph";
import { linesOf, type Comments } from "@varlink-ts/runtime/model";

// Documentation and comments as the interface text has them, read from where TypeScript code
// keeps them: a JSDoc comment's text before its tags, exactly as written (so that generated
// code gives back its interface's documentation byte for byte), and `//` line comments above
// an item, at the end of its line, and before a closing brace.

/**
 * The text of a `/** … *\/` comment before its first tag: each line without its ` * `, the one
 * blank line before the tags dropped, TSDoc's escapes (`\@`, `*\/`) undone. Undefined when
 * there is no text.
 */
export function docText(comment: string): string | undefined {
  const lines = linesOf(comment.slice(3, -2));
  if (lines.length === 1) {
    const text = lines[0]!.trim();
    return text === "" || /^@[A-Za-z]/.test(text) ? undefined : unescapeComment(text);
  }
  const [first, ...rest] = lines;
  const body = rest.map((line) => line.replace(/^\s*\*? ?/, ""));
  if (body.length > 0 && body[body.length - 1]!.trim() === "") body.pop();
  if (first!.trim() !== "") body.unshift(first!.trim());
  const tag = body.findIndex((line) => /^\s*@[A-Za-z]/.test(line));
  const text = tag === -1 ? body : body.slice(0, tag);
  if (tag > 0 && text[text.length - 1] === "") text.pop();
  return text.length === 0 ? undefined : unescapeComment(text.join("\n"));
}

const unescapeComment = (text: string): string => text.replace(/\*\\\//g, "*/").replace(/^(\s*)\\(\\*@)/gm, "$1$2");

/** A JSDoc tag's text (`@varlink org.example.demo` → "org.example.demo"), or undefined without the tag. */
export function tagOf(node: Node, name: string): string | undefined {
  if (!Node.isJSDocable(node)) return undefined;
  for (const doc of node.getJsDocs()) {
    for (const tag of doc.getTags()) if (tag.getTagName() === name) return (tag.getCommentText() ?? "").trim();
  }
  return undefined;
}

/** A declaration's documentation: its last JSDoc comment's text before the tags. */
export function docOf(node: Node): string | undefined {
  if (!Node.isJSDocable(node)) return undefined;
  const docs = node.getJsDocs();
  const last = docs[docs.length - 1];
  return last === undefined ? undefined : docText(last.getText());
}

type Range = ts.CommentRange;

const lineText = (text: string, range: Range): string => text.slice(range.pos + 2, range.end);
const isLine = (range: Range): boolean => range.kind === ts.SyntaxKind.SingleLineCommentTrivia;

/** The `//` comments on the lines right below `end`, up to a blank line: what follows a type alias's `;`. */
function rangesBelow(text: string, end: number): Range[] {
  const below: Range[] = [];
  let from = end;
  for (const range of ts.getLeadingCommentRanges(text, end) ?? []) {
    if (!isLine(range) || (text.slice(from, range.pos).match(/\n/g) ?? []).length !== 1) break;
    below.push(range);
    from = range.end;
  }
  return below;
}

/** Comments right below a type alias (after its `;`): an enum's comments after its last value. */
export function commentsBelow(node: Node): string[] | undefined {
  const text = node.getSourceFile().getFullText();
  const lines = rangesBelow(text, node.getEnd()).map((range) => lineText(text, range));
  return lines.length > 0 ? lines : undefined;
}

/**
 * The `//` comments above `node` (leaving out those that belong below a type alias right before
 * it) and the one at the end of its last line.
 */
export function commentsOf(node: Node): Comments | undefined {
  const text = node.getSourceFile().getFullText();
  const previous = previousStatement(node.compilerNode);
  const taken = new Set(
    previous !== undefined && ts.isTypeAliasDeclaration(previous)
      ? rangesBelow(text, previous.end).map((r) => r.pos)
      : [],
  );
  const above = (ts.getLeadingCommentRanges(text, node.getPos()) ?? []).filter(
    (range) => isLine(range) && !taken.has(range.pos),
  );
  return comments(
    above.map((range) => lineText(text, range)),
    trailingAt(text, node.getEnd()),
  );
}

/** The statement before `node` in its file (ts-morph's siblings include comments; the compiler's statements do not). */
function previousStatement(node: ts.Node): ts.Node | undefined {
  if (!ts.isSourceFile(node.parent)) return undefined;
  const statements = node.parent.statements;
  const index = statements.indexOf(node as ts.Statement);
  return index > 0 ? statements[index - 1] : undefined;
}

/** The comment at the end of the line where `end` is, if any. */
export function trailingAt(text: string, end: number): string | undefined {
  const range = (ts.getTrailingCommentRanges(text, end) ?? []).find(isLine);
  return range === undefined ? undefined : lineText(text, range);
}

/** The `//` comments before a body's closing brace, after its last member's line. */
export function closingOf(node: Node): string[] | undefined {
  const brace = node.getLastChildByKind(ts.SyntaxKind.CloseBraceToken);
  if (brace === undefined) return undefined;
  const text = node.getSourceFile().getFullText();
  const lines = (ts.getLeadingCommentRanges(text, brace.getPos()) ?? [])
    .filter(isLine)
    .map((range) => lineText(text, range));
  return lines.length > 0 ? lines : undefined;
}

/**
 * What stands before one member of a union, from `from` (the end of the one before, or the `=`)
 * to the member: its `//` comments and its JSDoc comment, which TypeScript attaches to nothing.
 */
export function unionMemberNotes(
  member: Node,
  from: number,
): { doc: string | undefined; comments: Comments | undefined } {
  const text = member.getSourceFile().getFullText();
  const found = [
    ...(ts.getLeadingCommentRanges(text, from) ?? []),
    ...(ts.getLeadingCommentRanges(text, member.getPos()) ?? []),
  ];
  const ranges = found.filter(
    (range, index) => range.end <= member.getStart() && found.findIndex((other) => other.pos === range.pos) === index,
  );
  const docs = ranges.filter((range) => text.startsWith("/**", range.pos));
  const last = docs[docs.length - 1];
  return {
    doc: last === undefined ? undefined : docText(text.slice(last.pos, last.end)),
    comments: comments(
      ranges.filter(isLine).map((range) => lineText(text, range)),
      trailingAt(text, member.getEnd()),
    ),
  };
}

function comments(detached: string[], trailing: string | undefined): Comments | undefined {
  if (detached.length === 0 && trailing === undefined) return undefined;
  return { ...(detached.length > 0 ? { detached } : {}), ...(trailing !== undefined ? { trailing } : {}) };
}
