import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { npm, packPackages, unixFdsUnpackable, type Tarballs } from "./pack.js";

export { childEnv, npm, run } from "./pack.js";

let tarballs: Required<Tarballs> | undefined;

/**
 * This checkout's packages packed as npm would publish them (once per test process): they
 * stand in for the registry's.
 */
export function packedPackages(): Required<Tarballs> {
  if (tarballs !== undefined) return tarballs;
  const missing = unixFdsUnpackable();
  if (missing !== undefined) throw new Error(`@varlink-ts/unix-fds cannot be packed: ${missing}`);
  tarballs = packPackages(mkdtempSync(path.join(tmpdir(), "varlink-ts-pack-"))) as Required<Tarballs>;
  return tarballs;
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
