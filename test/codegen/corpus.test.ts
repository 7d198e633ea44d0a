import assert from "node:assert/strict";
import { before, describe, test } from "node:test";
import { generate } from "../../src/codegen/index.js";
import { hasErrors, parseInterface } from "../../src/idl/index.js";
import { corpusFiles, corpusSkip } from "../helpers/paths.js";
import { projectWith, strictestFlags, typeCheck } from "../helpers/typecheck.js";
import { inputOf } from "../helpers/generate-input.js";

// Every real-world interface generates, and the whole output type-checks under --strict and
// under the strictest settings a user's project may have, as that project would compile it.

describe("generating the whole corpus", { skip: corpusSkip }, () => {
  const files: string[] = [];
  let dir = "";

  before(async () => {
    const inputs = corpusFiles("valid").flatMap((file) => {
      const { definition, diagnostics } = parseInterface(file.text, { file: file.name });
      assert.ok(definition && !hasErrors(diagnostics), file.name);
      return [inputOf(definition, `corpus/valid/${file.name}`)];
    });
    // File names that differ only in case (org.example.Calc, org.example.calc) go to separate
    // folders, as generate() refuses to put them side by side.
    const groups: Array<typeof inputs> = [];
    for (const input of inputs) {
      const name = input.sourcePath.toLowerCase();
      let group = groups.find((g) => !g.some((other) => other.sourcePath.toLowerCase() === name));
      if (group === undefined) {
        group = [];
        groups.push(group);
      }
      group.push(input);
    }
    await assert.rejects(generate(inputs, { prettier: null }), /compared without case/);
    const generated: Array<{ path: string; content: string }> = [];
    for (const [index, group] of groups.entries()) {
      for (const file of await generate(group, { prettier: null })) {
        generated.push({ path: `group${index}/${file.path}`, content: file.content });
        files.push(`group${index}/${file.path}`);
      }
    }
    dir = projectWith(generated);
  });

  test("one module per file, plus an index per folder", () => {
    assert.equal(files.filter((f) => !f.endsWith("/index.ts")).length, corpusFiles("valid").length);
  });

  for (const [label, flags] of [
    ["--strict", ["--strict"]],
    ["the strictest settings", strictestFlags],
  ] as const) {
    test(`the whole output type-checks with ${label}`, () => {
      const result = typeCheck(dir, files, flags);
      assert.equal(result.status, 0, result.output);
    });
  }
});
