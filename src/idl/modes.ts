import type { InterfaceDefinition, MethodDeclaration, MethodModes } from "./ast.js";

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

/**
 * Whether each method of `definition` streams: its own `more` annotation, or, in an interface
 * that annotates no method at all, "supports" for every method. Most real interfaces, systemd's
 * among them, annotate nothing, and their streaming methods must stay callable with `more`.
 */
export function moreSupport(definition: InterfaceDefinition): (method: MethodDeclaration) => "requires" | "supports" | undefined {
  const marked = definition.members.some((m) => m.kind === "method" && (m.modes.more !== undefined || m.modes.upgrade !== undefined));
  return (method) => method.modes.more ?? (marked ? undefined : "supports");
}
