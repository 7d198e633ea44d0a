import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { repoRoot } from "./paths.js";

/** Without the test runner's marker, so that a project's own `node --test` runs its files. */
const { NODE_TEST_CONTEXT: _runner, ...env } = process.env;
export const childEnv: NodeJS.ProcessEnv = env;

export function run(command: string, args: string[], cwd: string): { status: number | null; output: string } {
  const result = spawnSync(command, args, { cwd, env: childEnv, encoding: "utf8", timeout: 300_000 });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

export function npm(args: string[], cwd: string): { status: number | null; output: string } {
  return run("npm", [...args, "--no-audit", "--no-fund", "--loglevel=error"], cwd);
}

let tarball: string | undefined;

/** This checkout packed as npm would publish it (once per test process): it stands in for the registry's varlink-ts. */
export function packedPackage(): string {
  if (tarball !== undefined) return tarball;
  const dir = mkdtempSync(path.join(tmpdir(), "varlink-ts-pack-"));
  const pack = npm(["pack", "--pack-destination", dir], repoRoot);
  if (pack.status !== 0) throw new Error(`npm pack failed: ${pack.output}`);
  tarball = path.join(dir, readdirSync(dir).find((f) => f.endsWith(".tgz"))!);
  return tarball;
}
