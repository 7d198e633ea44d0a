import type { IToken } from "chevrotain";
import type { Range } from "./ast.js";
import type { DiagnosticSink } from "./diagnostics.js";
import { spanRanges, tokenRange } from "./positions.js";
import { InterfaceKeyword } from "./tokens.js";

// The shape rules the permissive grammar lets through: junk between members, type prefixes and
// postfixes, commas in lists, and lists that mix fields with enum values. The AST builder calls
// them as it meets each shape; naming, duplicate and reference rules are the checker's job.

export function reportJunk(first: IToken, sink: DiagnosticSink): void {
  if (first.tokenType === InterfaceKeyword) {
    sink.report("duplicate-interface", tokenRange(first), "a file holds one interface: unexpected second 'interface'");
  } else if (/^[\p{L}\p{N}_]/u.test(first.image)) {
    sink.report(
      "unknown-keyword",
      tokenRange(first),
      `unknown keyword '${first.image}': a member starts with 'type', 'method' or 'error'`,
    );
  } else {
    sink.report("syntax-error", tokenRange(first), `unexpected '${first.image}': expected 'type', 'method' or 'error'`);
  }
}

/** `T[]`: arrays go before the element type. */
export function reportPostfix(postfix: IToken, elementText: string, sink: DiagnosticSink): void {
  sink.report(
    "postfix-array",
    tokenRange(postfix),
    `'${postfix.image}' after a type is not varlink: arrays are written before the element type, as '[]${elementText}'`,
  );
}

export function reportDoubleNullable(prefix: IToken, typeRange: Range, sink: DiagnosticSink): void {
  sink.report(
    "double-nullable",
    spanRanges(tokenRange(prefix), typeRange),
    "'??' is not a type: a type is nullable once",
  );
}

/** A bracket prefix that is neither `[]` nor `[string]`. */
export function reportBadBrackets(prefix: IToken, sink: DiagnosticSink): void {
  const inside = prefix.image.slice(1, -1);
  const why =
    inside.trim() === ""
      ? "an array prefix is written '[]' with nothing between the brackets"
      : inside.trim() === "string"
        ? "a map prefix is written '[string]' without spaces"
        : /^\s*\d/.test(inside)
          ? "varlink arrays have no size: write '[]'"
          : `map keys are always strings: write '[string]', not '${prefix.image}'`;
  sink.report("invalid-type-prefix", tokenRange(prefix), `invalid prefix '${prefix.image}': ${why}`);
}

/** A list entry as the comma check sees it: a comma, or an entry with its name. */
export type ListEntry = { comma: IToken } | { name: IToken | undefined; range: Range };

/** Commas between entries: none leading, none doubled, none trailing, none missing. */
export function checkCommas(entries: readonly ListEntry[], closed: boolean, sink: DiagnosticSink): void {
  entries.forEach((entry, index) => {
    const previous = entries[index - 1];
    if ("comma" in entry) {
      if (previous === undefined || "comma" in previous) {
        sink.report("syntax-error", tokenRange(entry.comma), "unexpected ',': expected a field or enum value name");
      } else if (index === entries.length - 1 && closed) {
        sink.report("trailing-comma", tokenRange(entry.comma), "a comma after the last entry is not allowed");
      }
    } else if (previous !== undefined && !("comma" in previous)) {
      sink.report(
        "missing-comma",
        entry.name ? tokenRange(entry.name) : entry.range,
        `expected ',' before '${entry.name?.image ?? "this entry"}'`,
      );
    }
  });
}

/** A list is a struct when its first entry has a type; an entry that disagrees is reported. */
export function reportMixedList(
  odd: { name: IToken | undefined; range: Range },
  isStruct: boolean,
  sink: DiagnosticSink,
): void {
  sink.report(
    "mixed-struct-enum",
    odd.name ? tokenRange(odd.name) : odd.range,
    isStruct
      ? `'${odd.name?.image}' has no type, but this list is a struct: every field needs 'name: type'`
      : `'${odd.name?.image}' has a type, but this list is an enum of bare names`,
  );
}
