import { builders, type Doc } from "./doc.js";
import type { Note, TypeNode } from "./ast.js";
import { printDocComment, printLinesAbove, printTrailing } from "./print-doc-comment.js";

// Types laid out as prettier lays them out (its estree printer's rules for the shapes generated
// code has: references with type arguments, unions, arrays, predicates).

const { align, breakParent, group, hardline, ifBreak, indent, join, line, softline } = builders;

/** Where a union stands decides whether it indents when broken (prettier's `shouldIndent`). */
export type TypePosition = "annotation" | "alias" | "type-argument" | "array-element" | "other";

const keywords = new Set([
  "boolean",
  "number",
  "string",
  "unknown",
  "bigint",
  "void",
  "null",
  "undefined",
  "never",
  "any",
  "object",
]);

/** A keyword, or a reference without type arguments. */
function isSimpleType(type: TypeNode): boolean {
  return type.kind === "reference" && (keywords.has(type.name) || type.args === undefined);
}

const isVoidType = (type: TypeNode): boolean =>
  type.kind === "reference" && (type.name === "null" || type.name === "void");
/** Object-like for hugging: prettier counts any type reference. */
const isObjectLikeType = (type: TypeNode): boolean => type.kind === "reference" && !keywords.has(type.name);

/** `X | null` where X is object-like is written inline, never in the broken `| X` form. */
function shouldHugUnion(types: TypeNode[]): boolean {
  const objectType = types.find(isObjectLikeType);
  return objectType !== undefined && types.every((t) => t === objectType || isVoidType(t));
}

function shouldHugType(type: TypeNode): boolean {
  return isSimpleType(type) || (type.kind === "union" && shouldHugUnion(type.types));
}

export function printType(type: TypeNode, position: TypePosition = "other", afterBreakAfterOperator = false): Doc {
  switch (type.kind) {
    case "reference": {
      if (type.args === undefined) return type.name;
      const args = type.args;
      if (args.length === 1 && shouldHugType(args[0]!))
        return [type.name, "<", printType(args[0]!, "type-argument"), ">"];
      // Type arguments get no trailing comma (TypeScript refuses one in some positions).
      return [
        type.name,
        group([
          "<",
          indent([
            softline,
            join(
              [",", line],
              args.map((a) => printType(a, "type-argument")),
            ),
          ]),
          softline,
          ">",
        ]),
      ];
    }
    case "string-literal":
      return JSON.stringify(type.value);
    case "array":
      return [printType(type.element, "array-element"), "[]"];
    case "predicate":
      return [type.parameter, " is ", printType(type.type)];
    case "union": {
      if (type.notes?.some((note) => note !== undefined)) return printAnnotatedUnion(type.types, type.notes);
      if (type.types.length === 1) return printType(type.types[0]!, position);
      // As an array's element a union needs parentheses, hugged or not: `(X | null)[]`.
      if (shouldHugUnion(type.types)) {
        const hugged = join(
          " | ",
          type.types.map((t) => printType(t)),
        );
        return position === "array-element" ? ["(", hugged, ")"] : hugged;
      }
      const printed = group(
        type.types.map((t, index) => [index === 0 ? ifBreak("| ") : [line, "| "], align(2, printType(t))]),
      );
      if (position === "array-element") return ["(", group([indent([softline, printed]), softline]), ")"];
      if (afterBreakAfterOperator || position === "type-argument") return printed;
      return group(indent([softline, printed]));
    }
  }
}

/**
 * A union whose members carry comments (an enum's documented values), one member per line,
 * each under its comments, as prettier keeps them; a lone member has no `|`.
 */
function printAnnotatedUnion(types: TypeNode[], notes: Array<Note | undefined>): Doc {
  const members = types.map((type, index) => {
    const note = notes[index];
    const bar = types.length > 1 ? "| " : "";
    return [
      printLinesAbove(note?.comments?.before),
      printDocComment(note?.doc),
      bar,
      printType(type),
      printTrailing(note?.comments),
    ];
  });
  return [breakParent, join(hardline, members)];
}
