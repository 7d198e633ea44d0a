import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { docSnippet, docText } from "../helpers/docs.js";
import { childEnv } from "../helpers/npm.js";
import { repoRoot } from "../helpers/paths.js";
import { eventually } from "../helpers/runtime.js";

// A user's first hour, from a copy of this checkout's files with no ../shared beside it (a clone
// has none): the README's opening commands, and its install from a checkout (npm run pack, init
// --packages, npm install with no registry for our packages), each run as written.

/** The README's first code block: the two commands a fresh clone starts with. */
function openingCommands(): string[] {
  return /```sh\n([\s\S]*?)```/.exec(docText("README.md"))![1]!.trim().split("\n");
}

/** The environment of a user's shell: no test runner, no CI, no corpus pointed at, and npm kept from the registry for our scope. */
function userEnv(work: string): NodeJS.ProcessEnv {
  const { CI: _ci, VARLINK_CORPUS: _corpus, ...env } = childEnv;
  const npmrc = path.join(work, "npmrc");
  // Our packages are not on the registry; this makes sure none is ever fetched from one.
  writeFileSync(npmrc, "@varlink-ts:registry=http://127.0.0.1:9/\nprefer-offline=true\naudit=false\nfund=false\n");
  return { ...env, NPM_CONFIG_GLOBALCONFIG: npmrc };
}

function sh(script: string, cwd: string, env: NodeJS.ProcessEnv): { status: number | null; output: string } {
  const result = spawnSync("sh", ["-ec", script], { cwd, env, encoding: "utf8", timeout: 600_000 });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

/** Why there is no clone to make here: the files a clone holds are git's list of this checkout's. */
const notACheckout =
  spawnSync("git", ["rev-parse", "--is-inside-work-tree"], { cwd: repoRoot }).status === 0
    ? false
    : `${repoRoot} is not a git checkout`;

describe("a fresh clone, as a new user meets it", { skip: notACheckout }, () => {
  const work = mkdtempSync(path.join(tmpdir(), "varlink-ts-fresh-"));
  const clone = path.join(work, "varlink-ts");
  const env = userEnv(work);
  after(() => rmSync(work, { recursive: true, force: true }));

  before(() => {
    // The files a clone holds: those git tracks, and the new ones it would (as this checkout has them).
    const files = spawnSync("git", ["ls-files", "-co", "--exclude-standard", "-z"], { cwd: repoRoot, encoding: "utf8" })
      .stdout.split("\0")
      .filter(Boolean);
    mkdirSync(clone);
    const copy = spawnSync("sh", ["-c", `tar -C '${repoRoot}' -cf - --null -T - | tar -C '${clone}' -xf -`], {
      input: files.filter((f) => existsSync(path.join(repoRoot, f))).join("\0"),
    });
    assert.equal(copy.status, 0, String(copy.stderr));
  });

  test("the README's first command installs, builds and generates code for a fixture", () => {
    const [first] = openingCommands();
    const result = sh(first!, clone, env);
    assert.equal(result.status, 0, result.output);
    assert.match(readFileSync(path.join(clone, "generated", "org.example.spaceship.ts"), "utf8"), /DO NOT EDIT/);
  });

  test("without the corpus, the tests build and those that need it skip, saying why", () => {
    const [, second] = openingCommands();
    assert.equal(second, "npm test");
    const built = sh("npm run build:e2e --silent", clone, env);
    assert.equal(built.status, 0, built.output);
    // A sample of the suite: the tests built on the corpus and the ones reading it.
    const reporter = "--test-reporter=./dist/test/helpers/summary-reporter.js";
    const run = sh(
      `node --test ${reporter} dist/test/packages/e2e-build.test.js dist/test/idl/corpus.test.js dist/test/e2e/spaceship.test.js`,
      clone,
      env,
    );
    assert.equal(run.status, 0, run.output);
    assert.match(run.output, /^skipped \d+: the shared corpus is not at \S+ \(put it there or set VARLINK_CORPUS\)$/m);
    assert.match(run.output, /^\d+ passed, 0 failed, \d+ skipped$/m);
  });

  test("npm run pack, init --packages, npm install: the new service builds, passes its tests and answers a call", async (t) => {
    const block = sh(docSnippet("install-from-checkout"), clone, env);
    assert.equal(block.status, 0, block.output);
    const service = path.join(work, "my-service");
    const manifest = JSON.parse(readFileSync(path.join(service, "package.json"), "utf8")) as {
      dependencies: Record<string, string>;
    };
    assert.match(manifest.dependencies["@varlink-ts/runtime"]!, /^file:/);

    const socket = path.join(work, "greeter.sock");
    const server = spawn("npm", ["start", "--silent", "--", `unix:${socket}`], {
      cwd: service,
      env,
      stdio: ["ignore", "pipe", "pipe"],
      detached: true,
    });
    t.after(() => process.kill(-server.pid!, "SIGTERM"));
    let said = "";
    server.stderr.setEncoding("utf8").on("data", (text: string) => (said += text));
    server.stdout.setEncoding("utf8").on("data", (text: string) => (said += text));
    await eventually(() => existsSync(socket), `the service listens (${said})`, 30_000);
    const call = sh(`node dist/bin/bin.js call unix:${socket} org.example.greeter.Greet '{"name": "Ada"}'`, clone, env);
    assert.equal(call.status, 0, call.output);
    assert.match(call.output, /"greeting": "Hello, Ada!"/);
  });
});
