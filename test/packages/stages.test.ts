import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { test } from "node:test";
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

function sources(folder: string): string[] {
  return readdirSync(folder, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? sources(path.join(folder, entry.name)) : entry.name.endsWith(".ts") ? [path.join(folder, entry.name)] : [],
  );
}

for (const stage of stages) {
  test(`src/${stage} imports only the stages before it`, () => {
    const folder = path.join(repoRoot, "src", stage);
    const crossings: string[] = [];
    for (const file of sources(folder)) {
      for (const match of readFileSync(file, "utf8").matchAll(/\bfrom\s+"(\.\.?\/[^"]+)"|\bimport\(\s*"(\.\.?\/[^"]+)"\s*\)/g)) {
        const target = path.relative(path.join(repoRoot, "src"), path.resolve(path.dirname(file), (match[1] ?? match[2])!)).split(path.sep)[0]!;
        if (target !== stage && !allowed[stage].includes(target)) crossings.push(`${path.relative(repoRoot, file)} imports ${target}`);
      }
    }
    assert.deepEqual(crossings, []);
  });
}
