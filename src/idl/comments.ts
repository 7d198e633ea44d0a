import type { IToken } from "chevrotain";
import type { Comment, Trivia } from "./ast.js";
import { tokenRange, type LineMap } from "./positions.js";

/** What a declaration, field or enum value gets from the comments before it. */
export interface LeadingComments {
  doc: string | undefined;
  detached: Comment[];
}

/**
 * Hands out the file's comments in source order, each exactly once, so that no comment is
 * lost: leading comments to the item that follows them, a same-line comment to the item it
 * trails, and the rest to the enclosing list or file as closing comments.
 */
export class CommentCursor {
  private next = 0;

  constructor(
    private readonly comments: IToken[],
    private readonly lines: LineMap,
  ) {}

  /** All comments not yet handed out that start before `offset`. */
  takeBefore(offset: number): Comment[] {
    const taken: Comment[] = [];
    for (let c = this.comments[this.next]; c !== undefined && c.startOffset < offset; c = this.comments[++this.next]) {
      taken.push(toComment(c));
    }
    return taken;
  }

  /** Leading comments split into documentation (the block right above `line`) and the rest. */
  takeLeading(offset: number, line: number): LeadingComments {
    const comments = this.takeBefore(offset);
    let docStart = comments.length;
    let expectedLine = line - 1;
    while (docStart > 0) {
      const candidate = comments[docStart - 1]!;
      if (candidate.range.start.line !== expectedLine || !this.startsLine(candidate)) break;
      docStart--;
      expectedLine--;
    }
    const docComments = comments.slice(docStart);
    return {
      doc: docComments.length > 0 ? docComments.map((c) => c.text.replace(/^ /, "")).join("\n") : undefined,
      detached: comments.slice(0, docStart),
    };
  }

  /** The comment at the end of `line`, if it comes before `limit` (the next item's start). */
  takeTrailing(line: number, afterOffset: number, limit: number): Comment | undefined {
    const c = this.comments[this.next];
    if (c === undefined || c.startLine !== line || c.startOffset < afterOffset || c.startOffset >= limit)
      return undefined;
    this.next++;
    return toComment(c);
  }

  private startsLine(comment: Comment): boolean {
    const before = this.lines.lineText(comment.range.start.line).slice(0, comment.range.start.column - 1);
    return before.trim() === "";
  }
}

/** Trailing whitespace carries no meaning and a canonical file has none. */
function toComment(token: IToken): Comment {
  return { text: token.image.slice(1).trimEnd(), range: tokenRange(token) };
}

export function trivia(detached: Comment[], trailing: Comment | undefined): Trivia {
  return { detached, trailing };
}
