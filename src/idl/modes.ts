import { docProse, modesOf } from "@varlink-ts/runtime/model";
import type { MethodModes } from "./ast.js";

// systemd's method mode annotations, written as documentation lines: `[Requires 'more' flag]`,
// `[Supports 'more' flag]`, `[Requires 'upgrade' flag]`.

/** The modes a method's documentation declares (the runtime model reads them the same way). */
export function methodModes(doc: string | undefined): MethodModes {
  return { more: undefined, upgrade: undefined, ...modesOf(doc) };
}

export { docProse };
