import assert from "node:assert/strict";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, test, type TestContext } from "node:test";
import { cliProcess } from "../helpers/cli.js";
import { repoRoot } from "../helpers/paths.js";

// `varlink-ts init DIR --packages FOLDER`: the project depends on the tarballs `npm run pack`
// wrote, not on the registry; and the project's name and the printed `cd` survive a folder name
// that is not a plain word.

const version = (JSON.parse(readFileSync(path.join(repoRoot, "package.json"), "utf8")) as { version: string }).version;

function workDir(t: TestContext): string {
  const dir = mkdtempSync(path.join(tmpdir(), "varlink-ts-init-packages-"));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** A folder holding files named as `npm run pack` names the tarballs (their content is not read by init). */
function packagesFolder(work: string, names: string[]): string {
  const folder = path.join(work, "packages");
  mkdirSync(folder);
  for (const name of names) writeFileSync(path.join(folder, `${name}-${version}.tgz`), "");
  return folder;
}

function manifestOf(project: string): {
  name: string;
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
} {
  return JSON.parse(readFileSync(path.join(project, "package.json"), "utf8"));
}

/** Where a `file:` spec written in `project`'s package.json points. */
function fileTarget(project: string, spec: string | undefined): string {
  if (spec === undefined || !spec.startsWith("file:")) assert.fail(`${spec} is not a file: spec`);
  return path.resolve(project, spec.slice("file:".length));
}

describe("varlink-ts init --packages", () => {
  test("the dependencies are the folder's tarballs, as file: paths", async (t) => {
    const work = workDir(t);
    const folder = packagesFolder(work, ["varlink-ts", "varlink-ts-runtime", "varlink-ts-unix-fds"]);
    const project = path.join(work, "app");
    const run = await cliProcess(["init", "app", "--packages", "packages"], { cwd: work });
    assert.equal(run.code, 0, run.stderr);
    const manifest = manifestOf(project);
    assert.equal(
      fileTarget(project, manifest.dependencies["@varlink-ts/runtime"]),
      path.join(folder, `varlink-ts-runtime-${version}.tgz`),
    );
    assert.equal(
      fileTarget(project, manifest.devDependencies["varlink-ts"]),
      path.join(folder, `varlink-ts-${version}.tgz`),
    );
    assert.deepEqual(
      Object.keys(manifest.dependencies),
      ["@varlink-ts/runtime"],
      "the fd-passing add-on is not a dependency: the scaffold passes no fds",
    );
  });

  test("a folder without a tarball the project needs is refused, naming it, and nothing is written", async (t) => {
    const work = workDir(t);
    packagesFolder(work, ["varlink-ts"]);
    const run = await cliProcess(["init", "app", "--packages", "packages"], { cwd: work });
    assert.equal(run.code, 2);
    assert.match(
      run.stderr,
      new RegExp(`--packages packages: there is no varlink-ts-runtime-${version.replaceAll(".", "\\.")}\\.tgz in it`),
    );
    assert.ok(!existsSync(path.join(work, "app")));
  });
});

describe("varlink-ts init with a folder name that is not a plain word", () => {
  test("the printed cd quotes it for the shell", async (t) => {
    const work = workDir(t);
    const run = await cliProcess(["init", "My Service!"], { cwd: work });
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /^ {2}cd 'My Service!'$/m);
  });

  test("the package name has no dash at its end", async (t) => {
    const work = workDir(t);
    const run = await cliProcess(["init", "My Service!"], { cwd: work });
    assert.equal(run.code, 0, run.stderr);
    assert.equal(manifestOf(path.join(work, "My Service!")).name, "my-service");
  });
});
