import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, readdirSync } from "node:fs";
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

export interface Tarballs {
  /** @varlink-ts/runtime */
  runtime: string;
  /** varlink-ts, the toolchain */
  toolchain: string;
  /** @varlink-ts/unix-fds, the optional fd-passing add-on (with its prebuilt binary) */
  unixFds: string;
}

let tarballs: Tarballs | undefined;

/**
 * This checkout's packages packed as npm would publish them (once per test process): they
 * stand in for the registry's.
 */
export function packedPackages(): Tarballs {
  if (tarballs !== undefined) return tarballs;
  const pack = (args: string[], name: string): string => {
    const dir = mkdtempSync(path.join(tmpdir(), `varlink-ts-pack-${name}-`));
    const result = npm(["pack", ...args, "--pack-destination", dir], repoRoot);
    if (result.status !== 0) throw new Error(`npm pack ${args.join(" ")} failed: ${result.output}`);
    return path.join(dir, readdirSync(dir).find((f) => f.endsWith(".tgz"))!);
  };
  tarballs = {
    runtime: pack(["--workspace", "@varlink-ts/runtime"], "runtime"),
    toolchain: pack([], "toolchain"),
    unixFds: packUnixFds(),
  };
  return tarballs;
}

/**
 * @varlink-ts/unix-fds packed as its prepack script packs it (prebuildify, then npm pack), but
 * from a copy: prebuildify rebuilds in the package's folder, which would take the add-on away
 * from tests running beside this one.
 */
function packUnixFds(): string {
  const copy = mkdtempSync(path.join(tmpdir(), "varlink-ts-unix-fds-"));
  for (const entry of ["package.json", "binding.gyp", "build.mjs", "native", "dist", "README.md", "LICENSE"]) {
    cpSync(path.join(repoRoot, "src", "unix-fds", entry), path.join(copy, entry), { recursive: true });
  }
  // npm's own node-gyp, pointed at the running Node's headers, as build.mjs does (it cannot download them here).
  const prefix = path.resolve(path.dirname(process.execPath), "..");
  const nodedir = existsSync(path.join(prefix, "include", "node", "node_api.h")) ? { npm_config_nodedir: prefix } : {};
  const bundled = path.join(prefix, "lib", "node_modules", "npm", "bin", "node-gyp-bin", "node-gyp");
  const nodeGyp = existsSync(bundled) ? { PREBUILD_NODE_GYP: bundled } : {};
  const built = spawnSync(path.join(repoRoot, "node_modules", ".bin", "prebuildify"), ["--napi", "--strip"], { cwd: copy, env: { ...childEnv, ...nodedir, ...nodeGyp }, encoding: "utf8" });
  if (built.status !== 0) throw new Error(`prebuildify failed: ${built.stdout}${built.stderr}`);
  const dir = mkdtempSync(path.join(tmpdir(), "varlink-ts-pack-unix-fds-"));
  const packed = npm(["pack", "--ignore-scripts", "--pack-destination", dir], copy);
  if (packed.status !== 0) throw new Error(`npm pack of @varlink-ts/unix-fds failed: ${packed.output}`);
  return path.join(dir, readdirSync(dir).find((f) => f.endsWith(".tgz"))!);
}

/**
 * The `npm pkg set` arguments that point a project's manifest at the packed packages: the runtime
 * as a dependency, the toolchain as a dev dependency. A plain `npm install` would otherwise ask the
 * registry for this checkout's version.
 */
export function localPackageSpecs(): string[] {
  const { runtime, toolchain } = packedPackages();
  return [`dependencies.@varlink-ts/runtime=file:${runtime}`, `devDependencies.varlink-ts=file:${toolchain}`];
}

/** Installs both packages into `project` as users do: the runtime as a dependency, the toolchain as a dev dependency. */
export function installPackages(project: string): { status: number | null; output: string } {
  const point = npm(["pkg", "set", ...localPackageSpecs()], project);
  if (point.status !== 0) return point;
  return npm(["install"], project);
}
