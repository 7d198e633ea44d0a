import type { Range } from "./ast.js";

export type Severity = "error" | "warning";

/**
 * Every diagnostic the front end can report. The code is what users search for and what
 * editors and CI key on, so codes never change meaning once published.
 */
export const diagnosticCodes = {
  "invalid-character": { severity: "error", summary: "a character that cannot appear in a varlink file" },
  "syntax-error": { severity: "error", summary: "the text does not follow the varlink grammar" },
  "unexpected-end": { severity: "error", summary: "the file ends in the middle of a declaration" },
  "missing-interface": { severity: "error", summary: "the file does not start with `interface NAME`" },
  "duplicate-interface": { severity: "error", summary: "a second `interface` declaration in one file" },
  "no-members": { severity: "error", summary: "an interface declares no type, method or error" },
  "unknown-keyword": { severity: "error", summary: "a member does not start with `type`, `method` or `error`" },
  "missing-name": { severity: "error", summary: "a declaration has no name" },
  "invalid-interface-name": { severity: "error", summary: "an interface name breaks the naming rule" },
  "invalid-member-name": { severity: "error", summary: "a type, method or error name breaks the naming rule" },
  "invalid-field-name": { severity: "error", summary: "a field or enum value name breaks the naming rule" },
  "invalid-type-prefix": { severity: "error", summary: "a bracket prefix other than `[]` or `[string]`" },
  "postfix-array": { severity: "error", summary: "an array written after its element type (`T[]`)" },
  "double-nullable": { severity: "error", summary: "`?` applied to a type that is already nullable" },
  "trailing-comma": { severity: "error", summary: "a comma after the last field or enum value" },
  "missing-comma": { severity: "error", summary: "two fields or enum values without a comma between them" },
  "mixed-struct-enum": { severity: "error", summary: "a list mixing typed fields and bare enum values" },
  "type-not-struct-or-enum": { severity: "error", summary: "a `type` declaration that is not a struct or an enum" },
  "method-not-struct": { severity: "error", summary: "a method input or output that is not a struct literal" },
  "error-not-struct": { severity: "error", summary: "an error whose parameters are not a struct literal" },
  "duplicate-member": { severity: "error", summary: "two members with the same name" },
  "duplicate-field": { severity: "error", summary: "two fields or enum values with the same name" },
  "undefined-type": { severity: "error", summary: "a reference to a type the interface does not declare" },
  "nesting-too-deep": { severity: "error", summary: "types nested deeper than varlink-ts reads" },
  "missing-colon": { severity: "error", summary: "a field written `name type`, without the `:` between them" },
  "generic-type": {
    severity: "error",
    summary: "a type written as another IDL's generic (`list<T>`, `map<K, V>`, `optional<T>`)",
  },
  braces: { severity: "error", summary: "braces around the members, which varlink does not have" },
  "interface-version": {
    severity: "error",
    summary: "a version after the interface name; varlink puts it in the name",
  },
  "derive-syntax": { severity: "error", summary: "a TypeScript file with syntax errors: nothing is derived from it" },
  "derive-no-interface": { severity: "error", summary: "no exported interface or class is marked `@varlink NAME`" },
  "derive-unsupported-type": {
    severity: "error",
    summary: "a TypeScript type varlink cannot say (other unions, tuples, open generics, Date, Map, Set, any)",
  },
  "derive-float": {
    severity: "warning",
    summary: "a bare `number`, taken as float (write the runtime's `Int` for int, `Float` for float)",
  },
  "derive-method": { severity: "error", summary: "a method whose parameters or reply is not an object type" },
  "derive-name": {
    severity: "error",
    summary: "a name varlink does not allow for an interface, member, field or enum value",
  },
  "derive-named-type": {
    severity: "error",
    summary: "a named type that is neither an object type nor a union of strings",
  },
  "portability-nested-container": {
    severity: "warning",
    summary: "`[]`, `[string]` or `?` nested beyond one level, which systemd refuses",
  },
  "portability-string-set": { severity: "warning", summary: "`[string]()`, which systemd refuses" },
  "portability-empty-struct": { severity: "warning", summary: "an empty `()` type, which systemd refuses" },
  "portability-nesting-depth": { severity: "warning", summary: "structs nested deeper than systemd's limit of 64" },
} as const satisfies Record<string, { severity: Severity; summary: string }>;

export type DiagnosticCode = keyof typeof diagnosticCodes;

export interface RelatedLocation {
  message: string;
  range: Range;
}

/** One replacement in the file: `range` becomes `newText`. */
export interface TextEdit {
  range: Range;
  newText: string;
}

/** A fix-it: what to change, in words and as edits an editor can apply. */
export interface Fix {
  message: string;
  edits: TextEdit[];
}

/** A problem found in a file: plain data, never thrown. */
export interface Diagnostic {
  code: DiagnosticCode;
  severity: Severity;
  message: string;
  file: string;
  range: Range;
  related: RelatedLocation[];
  /** Fix-its, best first; `check` prints them as help lines, editors offer them as code actions. */
  fixes: Fix[];
}

/** Collects diagnostics for one file, with the severity taken from the code table. */
export class DiagnosticSink {
  readonly diagnostics: Diagnostic[] = [];

  constructor(readonly file: string) {}

  report(
    code: DiagnosticCode,
    range: Range,
    message: string,
    related: RelatedLocation[] = [],
    fixes: Fix[] = [],
  ): void {
    this.diagnostics.push({
      code,
      severity: diagnosticCodes[code].severity,
      message,
      file: this.file,
      range,
      related,
      fixes,
    });
  }
}

export function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === "error");
}

/** Source order, then code, so that output is stable whichever pass found a problem first. */
export function sortDiagnostics(diagnostics: Diagnostic[]): Diagnostic[] {
  return diagnostics.sort((a, b) => a.range.start.offset - b.range.start.offset || a.code.localeCompare(b.code));
}
