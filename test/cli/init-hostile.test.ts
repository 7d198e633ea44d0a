import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { test, type TestContext } from "node:test";
import { binPath } from "../helpers/cli.js";

// `varlink-ts init` given a folder it cannot make, or packages that are not there: one line that
// says which path and why, an exit code, and never a hang (Node's recursive mkdir loops forever
// on /proc/x, and the process then ignored SIGTERM).

interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  stderr: string;
}

/** The built CLI, killed (SIGKILL) if it has not ended within 20 s. */
function init(args: string[], cwd: string): Promise<Run> {
  return new Promise((resolve) => {
    const child = execFile(
      process.execPath,
      [binPath, "init", ...args],
      { cwd, timeout: 20_000, killSignal: "SIGKILL" },
      (_error, _stdout, stderr) => resolve({ code: child.exitCode, signal: child.signalCode, stderr }),
    );
  });
}

function workDir(t: TestContext): string {
  const dir = mkdtempSync(path.join(tmpdir(), "varlink-ts-init-hostile-"));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

test("a folder under /proc, which cannot be made, is an error at once, not a hang", async (t) => {
  const run = await init(["/proc/varlink-ts-no-such-folder"], workDir(t));
  assert.equal(run.signal, null, "it ended by itself");
  assert.equal(run.code, 1);
  assert.equal(
    run.stderr,
    "varlink-ts: cannot create /proc/varlink-ts-no-such-folder: no such file or directory (/proc/varlink-ts-no-such-folder)\n",
  );
});

test("a file where the folder should be is named as such", async (t) => {
  const work = workDir(t);
  writeFileSync(path.join(work, "afile"), "");
  const run = await init(["afile"], work);
  assert.equal(run.code, 1);
  assert.equal(
    run.stderr,
    `varlink-ts: cannot create ${path.join(work, "afile")}: ${path.join(work, "afile")} exists and is not a folder\n`,
  );
});

test("a path through a file says which part is not a folder", async (t) => {
  const work = workDir(t);
  writeFileSync(path.join(work, "afile"), "");
  const run = await init(["afile/project"], work);
  assert.equal(run.code, 1);
  assert.match(run.stderr, /^varlink-ts: cannot create \S+afile\/project: not a directory \(\S+afile\/project\)\n$/);
});

for (const [what, packages] of [
  ["a folder that does not exist", "/nonexistent-varlink-ts-packages"],
  ["a file", "afile"],
] as const) {
  test(`--packages naming ${what} says there is no such folder`, async (t) => {
    const work = workDir(t);
    writeFileSync(path.join(work, "afile"), "");
    const run = await init(["project", "--packages", packages], work);
    assert.equal(run.code, 2);
    assert.equal(
      run.stderr,
      `varlink-ts: --packages ${packages}: no such folder (npm run pack writes the packages into one)\n`,
    );
  });
}
