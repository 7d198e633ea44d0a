import type { TypeModel } from "@varlink-ts/runtime/model";

// A form is a tree of editors, one per value of the method's parameters, each built from the
// value's varlink type.

export type Segments = Array<string | number>;

/** A problem with a value, where it is: from reading the form, or from validation. */
export interface Problem {
  segments: Segments;
  message: string;
}

export interface Editor {
  readonly element: HTMLElement;
  /**
   * The value the editor holds (`undefined`: left out). What cannot be read at all, such as text
   * that is not JSON, is a problem pushed onto `problems` at `at`.
   */
  read(problems: Problem[], at: Segments): unknown;
  /** Shows `value`, as the raw JSON mode hands it over. */
  write(value: unknown): void;
  /** Shows the problems at or below this editor (segments relative to it); none clears them. */
  showProblems(problems: readonly Problem[]): void;
}

export interface EditorContext {
  /** The type the interface declares under `name`, if it does. */
  declared(name: string): TypeModel | undefined;
  /** An editor for `type`; deeper than a form can sensibly nest, a JSON editor. */
  make(type: TypeModel, depth: number): Editor;
}

/** The problems that belong to the child at `key`, relative to it. */
export function below(problems: readonly Problem[], key: string | number): Problem[] {
  return problems
    .filter((p) => p.segments[0] === key)
    .map((p) => ({ segments: p.segments.slice(1), message: p.message }));
}

/** The problems about the editor's own value. */
export function own(problems: readonly Problem[]): string[] {
  return problems.filter((p) => p.segments.length === 0).map((p) => p.message);
}
