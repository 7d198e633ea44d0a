// The three packages packed as npm would publish them, into one folder: what `npm run pack`
// writes (so that a checkout can be installed before anything is on the registry) and what the
// tests install in place of the registry's packages. Run after `npm run build`.
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
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
  /** @varlink-ts/unix-fds, the optional fd-passing add-on with its prebuilt binary; absent without a C compiler */
  unixFds?: string;
}

/** Why the add-on cannot be packed here, or undefined when it can: building it takes a C compiler. */
export function unixFdsUnpackable(): string | undefined {
  const found = spawnSync("sh", ["-c", "command -v cc"], { stdio: "ignore" }).status === 0;
  return found ? undefined : "no C compiler (cc) to build its native add-on: apt-get install build-essential";
}

/** Packs the runtime and the toolchain, and the add-on where a C compiler is, into `folder`. */
export function packPackages(folder: string): Tarballs {
  mkdirSync(folder, { recursive: true });
  const pack = (args: string[], cwd: string): string => {
    const result = npm(["pack", ...args, "--json", "--pack-destination", folder], cwd);
    if (result.status !== 0) throw new Error(`npm pack ${args.join(" ")} failed: ${result.output}`);
    const [packed] = JSON.parse(result.output.slice(result.output.indexOf("["))) as Array<{ filename: string }>;
    return path.join(folder, packed!.filename);
  };
  const runtime = pack(["--workspace", "@varlink-ts/runtime"], repoRoot);
  const toolchain = pack([], repoRoot);
  if (unixFdsUnpackable() !== undefined) return { runtime, toolchain };
  const copy = prebuiltUnixFds();
  try {
    return { runtime, toolchain, unixFds: pack(["--ignore-scripts"], copy) };
  } finally {
    rmSync(copy, { recursive: true, force: true });
  }
}

/**
 * A copy of @varlink-ts/unix-fds with its add-on prebuilt, as its prepack script leaves it
 * (prebuildify): built in a copy, since prebuildify rebuilds in the package's folder, which would
 * take the add-on away from tests running beside this.
 */
function prebuiltUnixFds(): string {
  const copy = mkdtempSync(path.join(tmpdir(), "varlink-ts-unix-fds-"));
  for (const entry of ["package.json", "binding.gyp", "build.mjs", "native", "dist", "README.md", "LICENSE"]) {
    cpSync(path.join(repoRoot, "src", "unix-fds", entry), path.join(copy, entry), { recursive: true });
  }
  // npm's own node-gyp, pointed at the running Node's headers, as build.mjs does (it cannot download them here).
  const prefix = path.resolve(path.dirname(process.execPath), "..");
  const nodedir = existsSync(path.join(prefix, "include", "node", "node_api.h")) ? { npm_config_nodedir: prefix } : {};
  const bundled = path.join(prefix, "lib", "node_modules", "npm", "bin", "node-gyp-bin", "node-gyp");
  const nodeGyp = existsSync(bundled) ? { PREBUILD_NODE_GYP: bundled } : {};
  const built = spawnSync(path.join(repoRoot, "node_modules", ".bin", "prebuildify"), ["--napi", "--strip"], {
    cwd: copy,
    env: { ...childEnv, ...nodedir, ...nodeGyp },
    encoding: "utf8",
  });
  if (built.status !== 0) throw new Error(`prebuildify failed: ${built.stdout}${built.stderr}`);
  return copy;
}

/** `npm run pack [-- FOLDER]`: the tarballs into FOLDER (./packages by default), and how to use them. */
function main(): void {
  const folder = path.resolve(process.argv[2] ?? path.join(repoRoot, "packages"));
  for (const name of existsSync(folder) ? readdirSync(folder) : [])
    if (name.endsWith(".tgz")) rmSync(path.join(folder, name));
  const tarballs = packPackages(folder);
  const lines = [`Packed into ${folder}:`, ...Object.values(tarballs).map((file) => `  ${path.basename(file)}`)];
  const missing = unixFdsUnpackable();
  if (missing !== undefined) lines.push(`Not packed: @varlink-ts/unix-fds (optional, for fd passing): ${missing}.`);
  lines.push(
    "",
    "A new service that installs from these, with no registry:",
    `  node ${path.relative(process.cwd(), path.join(repoRoot, "dist", "bin", "bin.js")) || "."} init my-service --packages ${folder}`,
    "Or into an existing project:",
    `  npm install ${tarballs.runtime} && npm install -D ${tarballs.toolchain}`,
  );
  console.log(lines.join("\n"));
}

if (process.argv[1] === import.meta.filename) main();
