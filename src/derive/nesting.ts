import { ts } from "ts-morph";
import { maxNesting } from "../idl/index.js";

// TypeScript's parser and checker recurse over a file's syntax, and a file nested deep enough
// (a thousand levels of `{ a: … }`) exhausts the stack inside them. When that happens, this
// finds where, with TypeScript's scanner, which does not recurse.

const opening = new Set([
  ts.SyntaxKind.OpenBraceToken,
  ts.SyntaxKind.OpenParenToken,
  ts.SyntaxKind.OpenBracketToken,
  ts.SyntaxKind.LessThanToken,
]);
const closing = new Set([
  ts.SyntaxKind.CloseBraceToken,
  ts.SyntaxKind.CloseParenToken,
  ts.SyntaxKind.CloseBracketToken,
  ts.SyntaxKind.GreaterThanToken,
]);

/** The offset of the first bracket nested more than the front end reads, or 0 when none is. */
export function tooDeepAt(text: string): number {
  const scanner = ts.createScanner(ts.ScriptTarget.Latest, true, ts.LanguageVariant.Standard, text);
  let depth = 0;
  for (let token = scanner.scan(); token !== ts.SyntaxKind.EndOfFileToken; token = scanner.scan()) {
    if (opening.has(token) && ++depth > maxNesting) return scanner.getTokenStart();
    if (closing.has(token)) depth = Math.max(0, depth - 1);
  }
  return 0;
}

/** Whether `error` is the engine's stack overflow. */
export function isStackOverflow(error: unknown): boolean {
  return error instanceof RangeError && /call stack/i.test(error.message);
}
