import assert from "node:assert/strict";
import { mkdtempSync, mkdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, test } from "node:test";
import { cli } from "../helpers/cli.js";
import { corpusDir, corpusSkip, repoRoot } from "../helpers/paths.js";

function workspace(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(tmpdir(), "varlink-ts-check-"));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    writeFileSync(path.join(dir, name), text);
  }
  return dir;
}

const good = "interface org.example.good\n\nmethod Ping() -> ()\n";
const bad = "interface org.example.bad\n\nmethod Ping() -> (x: Missing)\ntype T (a: int, a: int)\n";

describe("varlink-ts check", () => {
  test("a fix-it is printed as a help line under its diagnostic", async () => {
    const cwd = workspace({ "generic.varlink": "interface org.example.a\n\nmethod M(names: list<string>) -> ()\n" });
    const run = await cli(["check", "generic.varlink"], { cwd });
    assert.equal(run.code, 1);
    assert.match(
      run.stdout,
      /generic-type: 'list<string>' is not varlink: write '\[\]string'\n\n.*\n.*\n {2}help: write '\[\]string'\n/,
    );
  });

  test("--format json carries each fix-it with its edits", async () => {
    const cwd = workspace({ "generic.varlink": "interface org.example.a\n\nmethod M(names: list<string>) -> ()\n" });
    const run = await cli(["check", "--format", "json", "generic.varlink"], { cwd });
    const { diagnostics } = JSON.parse(run.stdout) as {
      diagnostics: Array<{ fixes: Array<{ edits: Array<{ newText: string; range: { start: { column: number } } }> }> }>;
    };
    assert.deepEqual(
      diagnostics[0]!.fixes[0]!.edits.map((edit) => [edit.range.start.column, edit.newText]),
      [[17, "[]string"]],
    );
  });

  test("exit 0 on clean files, with a summary", async () => {
    const cwd = workspace({ "a.varlink": good });
    const run = await cli(["check", "a.varlink"], { cwd });
    assert.equal(run.code, 0);
    assert.match(run.stdout, /Checked 1 file: no problems/);
  });

  test("exit 1 with every error printed like a compiler", async () => {
    const cwd = workspace({ "bad.varlink": bad });
    const run = await cli(["check", "bad.varlink"], { cwd });
    assert.equal(run.code, 1);
    assert.match(run.stdout, /^bad\.varlink:3:22 - error undefined-type: unknown type 'Missing'/m);
    assert.match(run.stdout, /^bad\.varlink:4:17 - error duplicate-field: duplicate field 'a'/m);
    assert.match(run.stdout, /^ {2}3 \| method Ping\(\) -> \(x: Missing\)\n {4}\| {22}\^{7}$/m);
    assert.match(run.stdout, /Found 2 errors and 0 warnings in 1 file/);
    assert.doesNotMatch(run.stdout, /\u001b\[/, "no colour when not on a terminal");
  });

  test("folders and globs expand to .varlink files", async () => {
    const cwd = workspace({
      "api/a.varlink": good,
      "api/nested/b.varlink": good,
      "api/notes.txt": "x",
      "other/c.varlink": bad,
    });
    assert.match((await cli(["check", "api"], { cwd })).stdout, /Checked 2 files/);
    assert.match((await cli(["check", "**/*.varlink"], { cwd })).stdout, /in 3 files/);
    assert.match((await cli(["check", "api/*.varlink"], { cwd })).stdout, /Checked 1 file:/);
  });

  test("--format json gives diagnostics as data", async () => {
    const cwd = workspace({ "bad.varlink": bad });
    const run = await cli(["check", "--format", "json", "bad.varlink"], { cwd });
    assert.equal(run.code, 1);
    const report = JSON.parse(run.stdout) as {
      diagnostics: Array<{ code: string; file: string; range: { start: { line: number; column: number } } }>;
      summary: { errors: number; warnings: number; files: number };
    };
    assert.deepEqual(report.summary, { errors: 2, warnings: 0, files: 1 });
    assert.deepEqual(
      report.diagnostics.map((d) => [d.file, d.code, d.range.start.line, d.range.start.column]),
      [
        ["bad.varlink", "undefined-type", 3, 22],
        ["bad.varlink", "duplicate-field", 4, 17],
      ],
    );
  });

  test("--lint adds portability warnings without failing", async () => {
    const cwd = workspace({ "set.varlink": "interface a.b\nmethod M() -> (tags: [string]())\n" });
    assert.equal((await cli(["check", "set.varlink"], { cwd })).code, 0);
    const run = await cli(["check", "--lint", "set.varlink"], { cwd });
    assert.equal(run.code, 0);
    assert.match(run.stdout, /warning portability-string-set/);
  });

  test("usage errors exit 2", async () => {
    const cwd = workspace({});
    for (const args of [
      ["check"],
      ["check", "missing.varlink"],
      ["check", "--format", "xml", "x"],
      ["chek", "x"],
      ["check", "*.nothing"],
      [],
    ]) {
      const run = await cli(args, { cwd });
      assert.equal(run.code, 2, `${args.join(" ")}: ${run.stderr}`);
      assert.notEqual(run.stderr, "");
    }
  });

  test("the whole corpus: invalid files fail, disputed ones pass", { skip: corpusSkip }, async () => {
    assert.equal((await cli(["check", path.join(corpusDir, "invalid", "disputed")], { cwd: repoRoot })).code, 0);
    const run = await cli(["check", "--format", "json", path.join(corpusDir, "invalid", "*.varlink")], {
      cwd: repoRoot,
    });
    assert.equal(run.code, 1);
    const report = JSON.parse(run.stdout) as {
      files: string[];
      diagnostics: Array<{ file: string; severity: string }>;
    };
    const failing = new Set(report.diagnostics.filter((d) => d.severity === "error").map((d) => d.file));
    assert.deepEqual(
      report.files.filter((f) => !failing.has(f)),
      [],
      "every invalid file has an error",
    );
  });
});
