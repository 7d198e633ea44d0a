import type { MethodModes } from "./ast.js";

// systemd's method mode annotations, written as documentation lines: `[Requires 'more' flag]`,
// `[Supports 'more' flag]`, `[Requires 'upgrade' flag]`.

const modeAnnotation = /^\s*\[(Requires|Supports) '(more|upgrade)' flag\]\s*$/;

export function methodModes(doc: string | undefined): MethodModes {
  const modes: MethodModes = { more: undefined, upgrade: undefined };
  for (const line of doc?.split("\n") ?? []) {
    const match = modeAnnotation.exec(line);
    if (match === null) continue;
    const level = match[1] === "Requires" ? "requires" : "supports";
    if (match[2] === "more") modes.more = level;
    else modes.upgrade = level;
  }
  return modes;
}

/** The documentation without its mode annotations (which are flags, not prose); undefined if nothing is left. */
export function docProse(doc: string | undefined): string | undefined {
  if (doc === undefined) return undefined;
  const text = doc
    .split("\n")
    .filter((line) => !modeAnnotation.test(line))
    .join("\n")
    .trim();
  return text === "" ? undefined : text;
}
