import assert from "node:assert/strict";
import path from "node:path";
import { test } from "node:test";
import { relativeImports, sourceFiles } from "../helpers/imports.js";
import { repoRoot } from "../helpers/paths.js";

// Stages depend one way: idl knows no other stage; codegen knows none either (it reads the
// runtime's model, not the AST); openapi, lsp and derive know idl (and the runtime where they
// must), never each other or the CLI. The runtime has its own test.

const stages = ["idl", "codegen", "openapi", "lsp", "derive", "cli"] as const;
const allowed: Record<(typeof stages)[number], string[]> = {
  idl: [],
  codegen: [],
  openapi: ["idl", "codegen"],
  lsp: ["idl"],
  derive: ["idl"],
  cli: ["idl", "codegen", "openapi", "lsp", "derive", "explorer"],
};

for (const stage of stages) {
  test(`src/${stage} imports only the stages before it`, () => {
    const folder = path.join(repoRoot, "src", stage);
    const crossings: string[] = [];
    for (const file of sourceFiles(folder)) {
      for (const imported of relativeImports(file)) {
        const target = path.relative(path.join(repoRoot, "src"), imported).split(path.sep)[0]!;
        if (target !== stage && !allowed[stage].includes(target))
          crossings.push(`${path.relative(repoRoot, file)} imports ${target}`);
      }
    }
    assert.deepEqual(crossings, []);
  });
}
