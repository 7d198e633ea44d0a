import assert from "node:assert/strict";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { test } from "node:test";
import { binPath } from "../helpers/cli.js";
import { run } from "../helpers/npm.js";
import { fixturesDir, repoRoot } from "../helpers/paths.js";

// .pre-commit-hooks.yaml: each hook's entry, run as the pre-commit framework runs it (entry, then
// the staged files that match `files` unless pass_filenames is false, in a git repository with
// the changes staged), passes a clean project and fails a broken one.

interface Hook {
  id: string;
  entry: string;
  files: string;
  passFilenames: boolean;
}

/** The hooks file is a flat list of flat maps; this reads just that shape. */
function hooks(): Hook[] {
  const text = readFileSync(path.join(repoRoot, ".pre-commit-hooks.yaml"), "utf8");
  return text
    .split(/^- /m)
    .slice(1)
    .map((block) => {
      const field = (name: string): string | undefined =>
        new RegExp(`^\\s*${name}: (.*)$`, "m").exec(block)?.[1]?.trim();
      return {
        id: field("id")!,
        entry: field("entry")!,
        files: field("files")!,
        passFilenames: field("pass_filenames") !== "false",
      };
    });
}

const git = (args: string[], cwd: string) =>
  run("git", ["-c", "user.name=Test", "-c", "user.email=test@example.org", ...args], cwd);

/** Runs the hook as the framework does, on what is staged: the project's files are staged first. */
function runHook(hook: Hook, project: string, staged: string[]): number | null {
  git(["add", "-A"], project);
  const files = hook.passFilenames ? staged.filter((f) => new RegExp(hook.files).test(f)) : [];
  const [, ...args] = hook.entry.replace("npx --no-install varlink-ts", "varlink-ts").split(" ");
  return run(process.execPath, [binPath, ...args, ...files], project).status;
}

test("every hook in .pre-commit-hooks.yaml passes a clean project and fails a broken one", () => {
  const found = hooks();
  assert.deepEqual(
    found.map((h) => h.id),
    ["varlink-ts-fmt", "varlink-ts-check", "varlink-ts-generate-check"],
  );
  const project = mkdtempSync(path.join(tmpdir(), "varlink-ts-hooks-"));
  mkdirSync(path.join(project, "api"));
  const file = path.join(project, "api", "org.example.spaceship.varlink");
  cpSync(path.join(fixturesDir, "interfaces", "org.example.spaceship.varlink"), file);
  writeFileSync(
    path.join(project, "package.json"),
    JSON.stringify({ name: "hooks", "varlink-ts": { inputs: ["api/*.varlink"], out: "gen" } }),
  );
  assert.equal(run(process.execPath, [binPath, "generate"], project).status, 0);
  assert.equal(git(["init", "-q"], project).status, 0);
  const staged = ["api/org.example.spaceship.varlink", "README.md"];
  for (const hook of found) assert.equal(runHook(hook, project, staged), 0, `${hook.id} passes a clean project`);

  const clean = readFileSync(file, "utf8");
  const broken: Record<string, string> = {
    "varlink-ts-fmt": clean.replace(/\n\n/g, "\n\n\n"),
    "varlink-ts-check": clean.replace(
      "interface org.example.spaceship",
      "interface org.example.spaceship\nmethod Broken(x: Missing) -> ()",
    ),
    "varlink-ts-generate-check": `${clean}\nmethod Added() -> ()\n`,
  };
  for (const hook of found) {
    writeFileSync(file, broken[hook.id]!);
    assert.equal(runHook(hook, project, staged), 1, `${hook.id} fails a broken project`);
  }
});
