import assert from "node:assert/strict";
import { chmodSync, cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, test } from "node:test";
import { binPath } from "../helpers/cli.js";
import { run } from "../helpers/npm.js";
import { fixturesDir } from "../helpers/paths.js";

// The pre-commit recipe judges what is being committed (issue #22, 6): editing an interface,
// regenerating, and staging only the interface is refused by `generate --check --staged`, run
// as git runs a pre-commit hook. Before, --check read the working tree and let it through.

function git(project: string, ...args: string[]): { status: number | null; output: string } {
  return run("git", ["-c", "user.name=test", "-c", "user.email=test@example.org", ...args], project);
}

/** A committed project (interface in api/, generated code in gen/) whose pre-commit hook runs `hook`. */
function project(hook: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), "varlink-ts-staged-"));
  mkdirSync(path.join(dir, "api"));
  cpSync(
    path.join(fixturesDir, "interfaces", "org.example.spaceship.varlink"),
    path.join(dir, "api", "org.example.spaceship.varlink"),
  );
  writeFileSync(
    path.join(dir, "package.json"),
    JSON.stringify({ name: "staged", "varlink-ts": { inputs: ["api/*.varlink"], out: "gen" } }),
  );
  assert.equal(run(process.execPath, [binPath, "generate"], dir).status, 0);
  assert.equal(git(dir, "init", "-q").status, 0);
  assert.equal(git(dir, "add", ".").status, 0);
  assert.equal(git(dir, "commit", "-q", "-m", "start").status, 0);
  const hookFile = path.join(dir, ".git", "hooks", "pre-commit");
  writeFileSync(hookFile, `#!/bin/sh\nexec "${process.execPath}" "${binPath}" ${hook}\n`);
  chmodSync(hookFile, 0o755);
  return dir;
}

/** Adds a method to the interface and regenerates, in the working tree. */
function changeAndRegenerate(dir: string): void {
  const file = path.join(dir, "api", "org.example.spaceship.varlink");
  writeFileSync(file, `${readFileSync(file, "utf8")}\nmethod Added() -> ()\n`);
  assert.equal(run(process.execPath, [binPath, "generate"], dir).status, 0);
}

describe("generate --check --staged in a pre-commit hook", () => {
  test("staging the interface without its regenerated code is refused, naming the stale file", () => {
    const dir = project("generate --check --staged");
    changeAndRegenerate(dir);
    git(dir, "add", "api/org.example.spaceship.varlink");
    const commit = git(dir, "commit", "-m", "interface only");
    assert.notEqual(commit.status, 0, commit.output);
    assert.match(commit.output, /gen\/org\.example\.spaceship\.ts/);
  });

  test("staging the interface with its regenerated code commits", () => {
    const dir = project("generate --check --staged");
    changeAndRegenerate(dir);
    git(dir, "add", "api", "gen");
    const commit = git(dir, "commit", "-q", "-m", "both");
    assert.equal(commit.status, 0, commit.output);
  });

  test("without --staged, the working tree is what is checked (the commit that slipped through)", () => {
    const dir = project("generate --check");
    changeAndRegenerate(dir);
    git(dir, "add", "api/org.example.spaceship.varlink");
    assert.equal(git(dir, "commit", "-q", "-m", "interface only").status, 0);
  });

  test("--staged outside a git repository says so", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "varlink-ts-nogit-"));
    const result = run(
      process.execPath,
      [binPath, "generate", "--check", "--staged", "x.varlink", "--out", "gen"],
      dir,
    );
    assert.equal(result.status, 2);
    assert.match(result.output, /--staged checks what git's index holds, but .* is not in a git repository/);
  });
});
