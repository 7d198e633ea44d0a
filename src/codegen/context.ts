import type { EmitInterface } from "./emit-model.js";
import { runtimeNamespace } from "./names.js";

/** What every emitter reads: the model and the options that change what is emitted. */
export interface EmitContext {
  model: EmitInterface;
  /** How `int` is represented in types and checks. */
  integers: "number" | "bigint";
}

/** A runtime export as generated code names it: through the one namespace import. */
export function runtime(name: string): string {
  return `${runtimeNamespace}.${name}`;
}
