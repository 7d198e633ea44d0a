import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { before, describe, test } from "node:test";
import { generate, type GeneratedFile } from "../../src/codegen/index.js";
import { hasErrors, parseInterface } from "../../src/idl/index.js";
import { corpusFiles, repoRoot } from "../helpers/paths.js";

// Every real-world interface generates, and the whole output type-checks under --strict, also
// with exactOptionalPropertyTypes, as a user's project would compile it.

describe("generating the whole corpus", () => {
  const files: string[] = [];
  let dir = "";

  before(async () => {
    const inputs = corpusFiles("valid").flatMap((file) => {
      const { definition, diagnostics } = parseInterface(file.text, { file: file.name });
      assert.ok(definition && !hasErrors(diagnostics), file.name);
      return [{ definition, sourcePath: `corpus/valid/${file.name}` }];
    });
    // File names that differ only in case (org.example.Calc, org.example.calc) go to separate
    // folders, as generate() refuses to put them side by side.
    const groups: Array<typeof inputs> = [];
    for (const input of inputs) {
      const name = input.sourcePath.toLowerCase();
      const group = groups.find((g) => !g.some((other) => other.sourcePath.toLowerCase() === name)) ?? (groups.push([]), groups.at(-1)!);
      group.push(input);
    }
    await assert.rejects(generate(inputs, { prettier: null }), /compared without case/);
    dir = mkdtempSync(path.join(tmpdir(), "varlink-ts-corpus-"));
    for (const [index, group] of groups.entries()) {
      const generated: GeneratedFile[] = await generate(group, { prettier: null });
      mkdirSync(path.join(dir, `group${index}`));
      for (const file of generated) {
        writeFileSync(path.join(dir, `group${index}`, file.path), file.content);
        files.push(`group${index}/${file.path}`);
      }
    }
    // The generated code imports varlink-ts/runtime as a user's project would: from node_modules.
    mkdirSync(path.join(dir, "node_modules"));
    symlinkSync(repoRoot, path.join(dir, "node_modules", "varlink-ts"));
    symlinkSync(path.join(repoRoot, "node_modules", "@types"), path.join(dir, "node_modules", "@types"));
  });

  test("one module per file, plus an index per folder", () => {
    assert.equal(files.filter((f) => !f.endsWith("/index.ts")).length, corpusFiles("valid").length);
  });

  for (const extra of [[], ["--exactOptionalPropertyTypes"]]) {
    test(`tsc --noEmit --strict ${extra.join(" ")}`.trim(), () => {
      const tsc = path.join(repoRoot, "node_modules", "typescript", "bin", "tsc");
      const args = ["--noEmit", "--strict", ...extra, "--target", "ES2022", "--module", "NodeNext", "--moduleResolution", "NodeNext", "--types", "node", ...files];
      const result = spawnSync(process.execPath, [tsc, ...args], { cwd: dir, encoding: "utf8" });
      assert.equal(result.status, 0, result.stdout + result.stderr);
    });
  }
});
