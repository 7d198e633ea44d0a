import { builders, type Doc } from "./doc.js";
import type { LineComments } from "./ast.js";

const { hardline, join, lineSuffix } = builders;

/**
 * A documentation comment as prettier prints one: `/** text *\/` or one ` * ` line per line.
 * Text that a one-line comment would change (blank, or with space at either end) takes the
 * long form, so that `varlink-ts derive` reads back exactly what was written.
 */
export function printDocComment(text: string | undefined): Doc {
  if (text === undefined) return "";
  const escaped = text.replace(/\*\//g, "*\\/");
  const lines = escaped.split("\n");
  if (lines.length === 1 && lines[0] !== "" && lines[0] === lines[0]!.trim()) return [`/** ${lines[0]} */`, hardline];
  return [
    join(hardline, ["/**", ...lines.map((l) => ` *${l.trimEnd() === "" ? "" : ` ${l.trimEnd()}`}`), " */"]),
    hardline,
  ];
}

/** `//` lines, each followed by a line break: comments above a declaration or member. */
export function printLinesAbove(lines: readonly string[] | undefined): Doc {
  return (lines ?? []).map((text) => [`//${text}`, hardline]);
}

/** A comment at the end of the line, after what stands on it (prettier's trailing line comment). */
export function printTrailing(comments: LineComments | undefined): Doc {
  return comments?.trailing === undefined ? "" : lineSuffix(` //${comments.trailing}`);
}

/** `//` lines right below a declaration. */
export function printLinesBelow(lines: readonly string[] | undefined): Doc {
  return (lines ?? []).map((text) => [hardline, `//${text}`]);
}
