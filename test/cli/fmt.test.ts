import assert from "node:assert/strict";
import { mkdtempSync, readdirSync, readFileSync, statSync, chmodSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, test } from "node:test";
import { cli } from "../helpers/cli.js";

const messy = "interface   org.example.fmt\nmethod Ping(a:int)->(b:string)\n";
const tidy = "interface org.example.fmt\n\nmethod Ping(a: int) -> (b: string)\n";

function workspace(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(tmpdir(), "varlink-ts-fmt-"));
  for (const [name, text] of Object.entries(files)) writeFileSync(path.join(dir, name), text);
  return dir;
}

describe("varlink-ts fmt", () => {
  test("prints the canonical text", async () => {
    const run = await cli(["fmt", "a.varlink"], { cwd: workspace({ "a.varlink": messy }) });
    assert.equal(run.code, 0);
    assert.equal(run.stdout, tidy);
  });

  test("reads standard input with '-'", async () => {
    const run = await cli(["fmt", "-"], { cwd: workspace({}), stdin: messy });
    assert.equal(run.stdout, tidy);
  });

  test("--check exits 1 naming unformatted files and writes nothing", async () => {
    const cwd = workspace({ "a.varlink": messy, "b.varlink": tidy });
    const run = await cli(["fmt", "--check", "a.varlink", "b.varlink"], { cwd });
    assert.equal(run.code, 1);
    assert.match(run.stderr, /not formatted[^\n]*\n {2}a\.varlink\n$/);
    assert.equal(readFileSync(path.join(cwd, "a.varlink"), "utf8"), messy);
    assert.equal((await cli(["fmt", "--check", "b.varlink"], { cwd })).code, 0);
  });

  test("--write rewrites only files that change, keeps their mode, leaves no temporary file", async () => {
    const cwd = workspace({ "a.varlink": messy, "b.varlink": tidy });
    chmodSync(path.join(cwd, "a.varlink"), 0o640);
    const before = statSync(path.join(cwd, "b.varlink")).mtimeMs;
    const run = await cli(["fmt", "--write", "."], { cwd });
    assert.equal(run.code, 0);
    assert.equal(readFileSync(path.join(cwd, "a.varlink"), "utf8"), tidy);
    assert.equal(statSync(path.join(cwd, "a.varlink")).mode & 0o777, 0o640);
    assert.equal(statSync(path.join(cwd, "b.varlink")).mtimeMs, before, "an unchanged file is not touched");
    assert.deepEqual(readdirSync(cwd).sort(), ["a.varlink", "b.varlink"]);
    assert.match(run.stderr, /formatted a\.varlink/);
    assert.doesNotMatch(run.stderr, /b\.varlink/);
  });

  test("a file with errors is never rewritten and fails with its diagnostics", async () => {
    const broken = "interface a.b\nmethod M( -> ()\n";
    const cwd = workspace({ "bad.varlink": broken });
    const run = await cli(["fmt", "--write", "bad.varlink"], { cwd });
    assert.equal(run.code, 1);
    assert.match(run.stderr, /bad\.varlink:2:\d+ - error/);
    assert.equal(readFileSync(path.join(cwd, "bad.varlink"), "utf8"), broken);
  });

  test("--write with --check is a usage error", async () => {
    assert.equal(
      (await cli(["fmt", "--write", "--check", "a.varlink"], { cwd: workspace({ "a.varlink": tidy }) })).code,
      2,
    );
  });
});
