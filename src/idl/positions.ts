import type { IToken } from "chevrotain";
import type { Position, Range } from "./ast.js";

/** Maps offsets to line and column with a binary search over line starts. */
export class LineMap {
  private readonly lineStarts: number[] = [0];

  constructor(readonly text: string) {
    const lineBreak = /\r\n?|\n|\u2028|\u2029/g;
    for (let m = lineBreak.exec(text); m !== null; m = lineBreak.exec(text)) {
      this.lineStarts.push(m.index + m[0].length);
    }
  }

  position(offset: number): Position {
    let low = 0;
    let high = this.lineStarts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if ((this.lineStarts[mid] ?? 0) <= offset) low = mid;
      else high = mid - 1;
    }
    return { line: low + 1, column: offset - (this.lineStarts[low] ?? 0) + 1, offset };
  }

  range(offset: number, length: number): Range {
    return { start: this.position(offset), end: this.position(offset + length) };
  }

  /** The text of a 1-based line, without its line break. */
  lineText(line: number): string {
    const start = this.lineStarts[line - 1];
    if (start === undefined) return "";
    const next = this.lineStarts[line] ?? this.text.length;
    return this.text.slice(start, next).replace(/(\r\n?|\n|\u2028|\u2029)$/, "");
  }

  get lineCount(): number {
    return this.lineStarts.length;
  }
}

export function tokenStart(token: IToken): Position {
  return { line: token.startLine ?? 1, column: token.startColumn ?? 1, offset: token.startOffset };
}

/** Tokens never span lines, so the end column follows from the length. */
export function tokenEnd(token: IToken): Position {
  const length = token.image.length;
  return { line: token.startLine ?? 1, column: (token.startColumn ?? 1) + length, offset: token.startOffset + length };
}

export function tokenRange(token: IToken): Range {
  return { start: tokenStart(token), end: tokenEnd(token) };
}

export function spanRanges(first: Range, last: Range): Range {
  return { start: first.start, end: last.end };
}
