import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { test } from "node:test";
import { generateCstDts } from "chevrotain";
import { varlinkParser } from "../../src/idl/parser.js";
import { repoRoot, updateGolden } from "../helpers/paths.js";

// src/idl/cst.ts types the CST the AST builder reads. It is what Chevrotain's generateCstDts
// makes of the grammar, with every child optional (error recovery leaves any of them out). A
// grammar or token name change that the file does not follow fails here, not silently in the
// builder. UPDATE_GOLDEN=1 rewrites it.

const header = `// Generated from the grammar (parser.ts) by Chevrotain's generateCstDts; do not edit.
// test/idl/cst-types.test.ts keeps it in step (UPDATE_GOLDEN=1 rewrites it). Every child is
// optional: error recovery can leave any of them out.

`;

function expected(): string {
  const generated = generateCstDts(varlinkParser().getGAstProductions(), { includeVisitorInterface: false });
  const optionalChildren = generated.replace(
    /(CstChildren = \{\n)([\s\S]*?)(\n\};)/g,
    (_all, open: string, body: string, close: string) =>
      open +
      body.replace(/^( {2}\w+)\??: \(?IToken\)?\[\];$/gm, "$1?: IToken[];").replace(/^( {2}\w+): /gm, "$1?: ") +
      close,
  );
  return (
    header +
    optionalChildren
      .replace("import type { CstNode, ICstVisitor, IToken }", "import type { CstNode, IToken }")
      .trimEnd() +
    "\n"
  );
}

test("src/idl/cst.ts is the grammar's CST types", () => {
  const file = path.join(repoRoot, "src", "idl", "cst.ts");
  if (updateGolden) writeFileSync(file, expected());
  assert.equal(readFileSync(file, "utf8"), expected());
});
