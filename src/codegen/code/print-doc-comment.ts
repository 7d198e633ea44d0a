import { builders, type Doc } from "./doc.js";

const { hardline, join } = builders;

/** A documentation comment as prettier prints one: `/** text *\/` or one ` * ` line per line. */
export function printDocComment(text: string | undefined): Doc {
  if (text === undefined || text.trim() === "") return "";
  const escaped = text.replace(/\*\//g, "*\\/");
  const lines = escaped.split("\n");
  if (lines.length === 1) return [`/** ${lines[0]!.trim()} */`, hardline];
  return [join(hardline, ["/**", ...lines.map((l) => ` *${l.trimEnd() === "" ? "" : ` ${l.trimEnd()}`}`), " */"]), hardline];
}
