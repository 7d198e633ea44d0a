import assert from "node:assert/strict";
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, test } from "node:test";
import { diagnosticCodes, parseInterface, renderDiagnostic, type DiagnosticCode } from "../../src/idl/index.js";
import { fixturesDir, updateGolden } from "../helpers/paths.js";

// fixtures/diagnostics/<code>.varlink is our own file that must produce <code>; <code>.txt
// is how the CLI prints its diagnostics. UPDATE_GOLDEN=1 rewrites the .txt files.

const folder = path.join(fixturesDir, "diagnostics");
const fixtures = readdirSync(folder)
  .filter((name) => name.endsWith(".varlink"))
  .sort();

describe("rendered diagnostics match the golden files", () => {
  test("every diagnostic code has a fixture", () => {
    const covered = new Set(fixtures.map((name) => name.replace(/\.varlink$/, "")));
    // derive's codes are reported on TypeScript sources: test/cli/derive.test.ts produces each.
    const missing = Object.keys(diagnosticCodes).filter((code) => !covered.has(code) && !code.startsWith("derive-"));
    assert.deepEqual(missing, []);
  });

  for (const name of fixtures) {
    const code = name.replace(/\.varlink$/, "") as DiagnosticCode;
    test(code, () => {
      const file = `fixtures/diagnostics/${name}`;
      const source = readFileSync(path.join(folder, name), "utf8");
      const { diagnostics } = parseInterface(source, { file, lint: true });
      assert.ok(
        diagnostics.some((d) => d.code === code),
        `${name} does not produce ${code}`,
      );
      assert.ok(diagnostics.every((d) => d.severity === diagnosticCodes[d.code].severity));
      const rendered = diagnostics.map((d) => renderDiagnostic(d, source)).join("\n");
      const goldenPath = path.join(folder, name.replace(/\.varlink$/, ".txt"));
      if (updateGolden) writeFileSync(goldenPath, rendered);
      assert.equal(rendered, readFileSync(goldenPath, "utf8"));
    });
  }
});

test("colour is added only when asked for", () => {
  const source = "interface a.b\n\nmethod F() -> (x: Missing)\n";
  const [diagnostic] = parseInterface(source).diagnostics;
  assert.ok(diagnostic);
  assert.doesNotMatch(renderDiagnostic(diagnostic, source), /\u001b\[/);
  assert.match(renderDiagnostic(diagnostic, source, { color: true }), /\u001b\[31merror\u001b\[0m/);
});

test("a long line is shown as a window around the problem, caret aligned", () => {
  const source = `interface a.b\n\ntype T (${Array.from({ length: 40 }, (_, i) => `f${i}: int`).join(", ")}, bad: Nope)\n`;
  const [diagnostic] = parseInterface(source).diagnostics;
  assert.ok(diagnostic);
  const [, , frameLine, caretLine] = renderDiagnostic(diagnostic, source).split("\n");
  assert.ok(frameLine!.length < 140, frameLine);
  const caretAt = caretLine!.indexOf("^");
  assert.equal(frameLine!.slice(caretAt, caretAt + 4), "Nope");
});
