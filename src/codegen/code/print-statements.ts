import { builders, type Doc } from "./doc.js";
import type { Statement } from "./ast.js";
import { flatIfFits } from "./flat.js";
import { printExpression } from "./print-expressions.js";

// Statements laid out as prettier lays them out. Bodies of `if` and `for` without braces go on
// the same line when they fit, else indented on the next (prettier's `adjustClause`).

const { group, hardline, ifBreak, indent, line, softline } = builders;

const clause = (body: Statement): Doc => indent([line, printStatement(body)]);

export function printStatement(statement: Statement): Doc {
  switch (statement.kind) {
    case "return": {
      const value = statement.value;
      if (value.kind === "binary" || value.kind === "logical") {
        return [
          "return ",
          group([ifBreak("("), indent([softline, printExpression(value, "return")]), softline, ifBreak(")")]),
          ";",
        ];
      }
      return ["return ", printExpression(value, "return"), ";"];
    }
    case "if": {
      const test = statement.test;
      // `!(a || b)` stays inline in its parentheses (prettier's `shouldInlineCondition`).
      const inline = test.kind === "unary" && test.operator === "!" && test.operand.kind === "logical";
      const condition = inline
        ? printExpression(test, "if-test")
        : group([indent([softline, printExpression(test, "if-test")]), softline]);
      return group(["if (", condition, ")", clause(statement.then)]);
    }
    case "for":
      return group(["for (", group([indent([softline, statement.head]), softline]), ")", clause(statement.body)]);
    case "for-in":
      return group(["for (const ", statement.variable, " in ", statement.object, ")", clause(statement.body)]);
    case "expression":
      return [printExpression(statement.expression, "statement"), ";"];
  }
}

/** `{ statements }`, each on its own line; `indentation` is the block's own. */
export function printBlock(statements: Statement[], indentation = 0): Doc {
  if (statements.length === 0) return "{}";
  const printed = statements.map((statement) => flatIfFits(printStatement(statement), indentation + 2));
  return ["{", indent([hardline, builders.join(hardline, printed)]), hardline, "}"];
}
