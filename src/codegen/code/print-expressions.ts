import { builders, utils, type Doc } from "./doc.js";
import { printDocComment } from "./print-doc-comment.js";
import { printType } from "./print-types.js";
import type { Expression } from "./ast.js";

// Expressions laid out as prettier lays them out: binary and logical chains (printBinaryish),
// call arguments with last-argument expansion (printCallArguments), objects and arrays.

const { conditionalGroup, group, ifBreak, indent, join, line, softline, breakParent } = builders;

/** What holds an expression: it decides how a binary chain indents. */
export type ExpressionPosition =
  | "statement"
  | "return"
  | "if-test"
  | "unary-argument"
  | "assignment"
  | "property"
  | "argument"
  | "binary-operand"
  | "other";

type Binaryish = Extract<Expression, { kind: "binary" | "logical" }>;

const precedence: Record<string, number> = { "||": 1, "&&": 2, "==": 6, "!=": 6, "===": 6, "!==": 6, "+": 9 };
const equality = new Set(["==", "!=", "===", "!=="]);

function isBinaryish(expression: Expression): expression is Binaryish {
  return expression.kind === "binary" || expression.kind === "logical";
}

/** Operands of the same operator print as one flat chain (prettier's `shouldFlatten`). */
function shouldFlatten(parent: string, child: string): boolean {
  return precedence[parent] === precedence[child] && !equality.has(parent) && !equality.has(child);
}

/** Whether `child` needs parentheses as an operand of `parent`. */
function needsParens(parent: Binaryish, child: Expression, isRight: boolean): boolean {
  if (!isBinaryish(child)) return false;
  const outer = precedence[parent.operator]!;
  const inner = precedence[child.operator]!;
  if (inner < outer) return true;
  if (inner === outer && isRight) return true;
  // Mixed equality operators and `a == b == c` are parenthesized for clarity.
  if (inner === outer && !shouldFlatten(parent.operator, child.operator)) return true;
  return false;
}

function printBinaryishParts(node: Binaryish, isInsideParenthesis: boolean, parentKind: string | undefined): Doc[] {
  let parts: Doc[];
  if (isBinaryish(node.left) && shouldFlatten(node.operator, node.left.operator)) {
    parts = printBinaryishParts(node.left, isInsideParenthesis, node.kind);
  } else {
    parts = [group(printOperand(node, node.left, false))];
  }
  let right: Doc = [node.operator, line, printOperand(node, node.right, true)];
  const shouldGroup =
    !(isInsideParenthesis && node.kind === "logical") &&
    parentKind !== node.kind &&
    node.left.kind !== node.kind &&
    node.right.kind !== node.kind;
  if (shouldGroup) right = group(right);
  parts.push(" ", right);
  return parts;
}

function printOperand(parent: Binaryish, operand: Expression, isRight: boolean): Doc {
  const printed = isBinaryish(operand)
    ? printBinaryish(operand, "binary-operand", parent.kind)
    : printExpression(operand, "binary-operand");
  return needsParens(parent, operand, isRight) ? ["(", printed, ")"] : printed;
}

function printBinaryish(node: Binaryish, position: ExpressionPosition, parentKind?: string): Doc {
  const isInsideParenthesis = position === "if-test";
  const parts = printBinaryishParts(node, isInsideParenthesis, parentKind);
  if (isInsideParenthesis) return parts;
  if (position === "unary-argument") return group([indent([softline, ...parts]), softline]);
  const shouldNotIndent = position === "return";
  const shouldIndentIfInlining = position === "assignment" || position === "property";
  const samePrecedenceSubExpression = isBinaryish(node.left) && shouldFlatten(node.operator, node.left.operator);
  void samePrecedenceSubExpression;
  if (shouldNotIndent || shouldIndentIfInlining) return group(parts);
  const firstGroupIndex = parts.findIndex(
    (part) => typeof part === "object" && !Array.isArray(part) && part.type === "group",
  );
  const headParts = parts.slice(0, firstGroupIndex === -1 ? 1 : firstGroupIndex + 1);
  const rest = parts.slice(headParts.length);
  return group([...headParts, indent(rest)]);
}

/** Call arguments: flat, or the last object or array expanded in place, or one per line. */
function printCallArguments(args: Expression[]): Doc {
  if (args.length === 0) return "()";
  const printedArguments: Doc[] = args.map((arg, index) => {
    const printed = printExpression(arg, "argument");
    return index === args.length - 1 ? printed : [printed, ",", line];
  });
  const allArgsBrokenOut = (): Doc =>
    group(["(", indent([line, ...printedArguments]), ",", line, ")"], { shouldBreak: true });
  const last = args.at(-1)!;
  const penultimate = args.at(-2);
  const couldExpandLast =
    (last.kind === "object" && last.properties.length > 0) || (last.kind === "array" && last.elements.length > 0);
  if (couldExpandLast && (penultimate === undefined || penultimate.kind !== last.kind)) {
    const headArgs = printedArguments.slice(0, -1);
    if (headArgs.some(utils.willBreak)) return allArgsBrokenOut();
    const lastArg = printExpression(last, "argument");
    if (utils.willBreak(lastArg)) {
      return [
        breakParent,
        conditionalGroup([["(", ...headArgs, group(lastArg, { shouldBreak: true }), ")"], allArgsBrokenOut()]),
      ];
    }
    return conditionalGroup([
      ["(", ...headArgs, lastArg, ")"],
      ["(", ...headArgs, group(lastArg, { shouldBreak: true }), ")"],
      allArgsBrokenOut(),
    ]);
  }
  return group(["(", indent([softline, ...printedArguments]), ifBreak(","), softline, ")"], {
    shouldBreak: printedArguments.some(utils.willBreak),
  });
}

function printObject(properties: Array<{ key: string; value: Expression; doc?: string | undefined }>): Doc {
  if (properties.length === 0) return "{}";
  // A comment's line break breaks the object, as prettier breaks an object holding one.
  const printed = properties.map(({ key, value, doc }) => [
    printDocComment(doc),
    value.kind === "atom" && value.text === key ? key : group(printAssignment(key, ":", value, "property")),
  ]);
  const separated = printed.flatMap((property, index) => (index === 0 ? [property] : [",", line, property]));
  return group(["{", indent([line, ...separated]), ifBreak(","), line, "}"]);
}

/**
 * `left = right` (also `key: value`) in the layout prettier chooses for the right side:
 * a string breaks after the operator, a template never does, anything else is "fluid".
 */
export function printAssignment(left: Doc, operator: string, right: Expression, kind: "assignment" | "property"): Doc {
  const rightDoc = printExpression(right, kind);
  const shortKey = kind === "property" && typeof left === "string" && left.length < 5;
  const isString = right.kind === "atom" && right.text.startsWith('"');
  if (isBinaryish(right) || (!shortKey && (isString || isPoorlyBreakableCall(right)))) {
    return group([group(left), operator, group(indent([line, rightDoc]))]);
  }
  if (right.kind === "template" || (shortKey && !utils.canBreak(left)))
    return group([group(left), operator, " ", rightDoc]);
  const groupId = Symbol("assignment");
  return group([
    group(left),
    operator,
    group(indent(line), { id: groupId }),
    builders.lineSuffixBoundary,
    builders.indentIfBreak(rightDoc, { groupId }),
  ]);
}

/** A call with no argument or one short one: breaking inside it gains nothing. */
function isPoorlyBreakableCall(expression: Expression): boolean {
  if (expression.kind !== "call") return false;
  if (expression.args.length === 0) return true;
  return expression.args.length === 1 && expression.args[0]!.kind === "atom" && expression.args[0]!.text.length <= 20;
}

export function printExpression(expression: Expression, position: ExpressionPosition = "other"): Doc {
  switch (expression.kind) {
    case "atom":
      return expression.text;
    case "template":
      return builders.join(builders.literalline, expression.text.split("\n"));
    case "binary":
    case "logical":
      return printBinaryish(expression, position);
    case "unary": {
      const operand = expression.operand;
      const printed = isBinaryish(operand)
        ? ["(", printBinaryish(operand, "unary-argument"), ")"]
        : printExpression(operand, "other");
      return [expression.operator === "typeof" ? "typeof " : "!", printed];
    }
    case "call": {
      const typeArgs = expression.typeArgs;
      const callee: Doc =
        typeArgs === undefined
          ? expression.callee
          : [
              expression.callee,
              "<",
              join(
                ", ",
                typeArgs.map((type) => printType(type)),
              ),
              ">",
            ];
      // A call on a member of a short name (`$.schema(...)`) is a one-group member chain.
      const printed: Doc = expression.callee.includes(".")
        ? group([callee, printCallArguments(expression.args)])
        : [callee, printCallArguments(expression.args)];
      return expression.pure === true ? ["/*@__PURE__*/ ", printed] : printed;
    }
    case "object":
      return printObject(expression.properties);
    case "array": {
      if (expression.elements.length === 0) return "[]";
      const printed = expression.elements.map((element) => printExpression(element, "other"));
      const separated = printed.flatMap((element, index) => (index === 0 ? [element] : [",", line, element]));
      return group(["[", indent([softline, ...separated]), ifBreak(","), softline, "]"]);
    }
  }
}
