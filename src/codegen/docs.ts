import type { JSDocStructure, OptionalKind } from "ts-morph";

/** IDL documentation as TSDoc; a `*\/` in the text must not end the comment. */
export function tsDoc(...parts: Array<string | undefined>): Array<OptionalKind<JSDocStructure>> {
  const text = parts.filter((p): p is string => p !== undefined && p.trim() !== "").join("\n\n");
  return text === "" ? [] : [{ description: text.replace(/\*\//g, "*\\/") }];
}
