import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { test } from "node:test";
import { corpusSkip, repoRoot } from "../helpers/paths.js";

// The end-to-end tests built on the corpus's interfaces are compiled only where the corpus is
// (test/helpers/build-e2e.ts). Where it is, each must have been built; where it is not, each is
// reported here as skipped, so a fresh clone's run says what it left out.

const corpusProject = JSON.parse(
  readFileSync(path.join(repoRoot, "test", "e2e", "tsconfig.corpus.json"), "utf8").replace(/^\s*\/\/.*$/gm, ""),
) as { include: string[] };
const corpusTestFiles = corpusProject.include
  .filter((entry) => entry.endsWith(".test.ts"))
  .map((entry) => path.join("test", "e2e", entry));

for (const file of corpusTestFiles) {
  test(`${file} is built and run`, { skip: corpusSkip }, () => {
    const compiled = path.join(repoRoot, "dist", file.replace(/\.ts$/, ".js"));
    assert.ok(existsSync(compiled), `${compiled} was not compiled by build:e2e`);
  });
}
