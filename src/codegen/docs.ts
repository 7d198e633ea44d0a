import type { Comments } from "@varlink-ts/runtime/model";
import type { LineComments } from "./code/ast.js";

/** IDL documentation as TSDoc text: the parts given, a blank line between them; undefined when empty. */
export function tsDoc(...parts: Array<string | undefined>): string | undefined {
  const text = parts.filter((p): p is string => p !== undefined && p.trim() !== "").join("\n\n");
  return text === "" ? undefined : text;
}

/**
 * A declaration's documentation from the interface text, exactly as written, then what the
 * generator adds as TSDoc tags (`@remarks …`), after one blank line. `varlink-ts derive` reads
 * the text before the first tag back: a line of the text that starts with `@` is escaped
 * (`\@`, TSDoc's escape) so that it is not taken for a tag.
 */
export function idlDoc(doc: string | undefined, ...tags: string[]): string | undefined {
  const text = doc?.replace(/^(\s*)(\\*@)/gm, "$1\\$2");
  if (tags.length === 0) return text;
  return text === undefined ? tags.join("\n") : `${text}\n\n${tags.join("\n")}`;
}

/** Comments that are not documentation, as line comments: those above an item, and the one at the end of its line. */
export function lineComments(comments: Comments | undefined, after?: string[]): LineComments | undefined {
  if (comments === undefined && after === undefined) return undefined;
  return { before: comments?.detached, trailing: comments?.trailing, after };
}
