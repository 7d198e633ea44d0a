import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { repoRoot } from "./paths.js";

/** The strictest settings a user's project may compile generated code with. */
export const strictestFlags = [
  "--strict",
  "--exactOptionalPropertyTypes",
  "--noUncheckedIndexedAccess",
  "--noUnusedLocals",
  "--noUnusedParameters",
  "--noPropertyAccessFromIndexSignature",
  "--noImplicitReturns",
  "--noImplicitOverride",
  "--verbatimModuleSyntax",
  "--isolatedDeclarations",
  "--declaration",
];

/**
 * A folder holding `files` that imports @varlink-ts/runtime (and @varlink-ts/unix-fds) as a
 * user's project would: from node_modules (this checkout's packages, linked).
 */
export function projectWith(files: ReadonlyArray<{ path: string; content: string }>): string {
  const dir = mkdtempSync(path.join(tmpdir(), "varlink-ts-typecheck-"));
  for (const file of files) {
    mkdirSync(path.dirname(path.join(dir, file.path)), { recursive: true });
    writeFileSync(path.join(dir, file.path), file.content);
  }
  // An ES module project, as varlink-ts's generated code is written for.
  writeFileSync(path.join(dir, "package.json"), JSON.stringify({ type: "module", private: true }));
  mkdirSync(path.join(dir, "node_modules"));
  mkdirSync(path.join(dir, "node_modules", "@varlink-ts"));
  symlinkSync(path.join(repoRoot, "src", "runtime"), path.join(dir, "node_modules", "@varlink-ts", "runtime"));
  symlinkSync(path.join(repoRoot, "src", "unix-fds"), path.join(dir, "node_modules", "@varlink-ts", "unix-fds"));
  symlinkSync(path.join(repoRoot, "node_modules", "@types"), path.join(dir, "node_modules", "@types"));
  return dir;
}

/** Runs tsc --noEmit on `files` in `dir`; status 0 means it compiled. */
export function typeCheck(
  dir: string,
  files: readonly string[],
  flags: readonly string[],
): { status: number | null; output: string } {
  const tsc = path.join(repoRoot, "node_modules", "typescript", "bin", "tsc");
  const args = [
    "--noEmit",
    ...flags,
    "--target",
    "ES2022",
    "--module",
    "NodeNext",
    "--moduleResolution",
    "NodeNext",
    "--types",
    "node",
    ...files,
  ];
  const result = spawnSync(process.execPath, [tsc, ...args], { cwd: dir, encoding: "utf8" });
  return { status: result.status, output: result.stdout + result.stderr };
}
