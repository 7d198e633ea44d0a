import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import path from "node:path";
import { test } from "node:test";
import { sourceFiles } from "../helpers/imports.js";
import { repoRoot } from "../helpers/paths.js";

// Concepts written once (issue #30): a second copy drifts the day the first is fixed. Each test
// names the one file a concept lives in and fails when its mark shows up anywhere else in src/.

/** The text without its comment lines: a comment may quote a rule. */
function codeOf(text: string): string {
  return text
    .split("\n")
    .filter((line) => !/^\s*(\/\/|\/\*|\*)/.test(line))
    .join("\n");
}

/** The files of src/ other than `home` whose text matches one of `marks`, with what matched. */
function copiesOutside(home: string, marks: readonly string[]): string[] {
  const found: string[] = [];
  for (const file of sourceFiles(path.join(repoRoot, "src"))) {
    const relative = path.relative(repoRoot, file).split(path.sep).join("/");
    if (relative === home) continue;
    const text = codeOf(readFileSync(file, "utf8"));
    for (const mark of marks) if (text.includes(mark)) found.push(`${relative}: ${mark}`);
  }
  return found;
}

const namesHome = "src/runtime/model/names.ts";

test("the UAPI.20 name grammar is written only in the runtime's names module", () => {
  // The pieces of the interface, member and field name rules, as regex sources write them.
  const fragments = ["[A-Z][A-Za-z0-9]*", "(-*[A-Za-z0-9])*", "(_?[A-Za-z0-9])*"];
  assert.ok(
    fragments.every((f) => readFileSync(path.join(repoRoot, namesHome), "utf8").includes(f)),
    "the home holds every rule",
  );
  assert.deepEqual(copiesOutside(namesHome, fragments), []);
});

const printerHome = "src/runtime/model/interface-text.ts";

test("one printer writes interface text in the canonical style: the runtime's printInterface", () => {
  // The style's measures: a second printer (the front end once had one, over its AST) needs them too.
  const marks = ["const lineWidth", "const indentUnit"];
  assert.ok(
    marks.every((m) => readFileSync(path.join(repoRoot, printerHome), "utf8").includes(m)),
    "the home holds the style",
  );
  assert.deepEqual(copiesOutside(printerHome, marks), []);
});
