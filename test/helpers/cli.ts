import { spawn } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { runCli } from "../../src/cli/main.js";
import type { CliIo } from "../../src/cli/io.js";
import { repoRoot } from "./paths.js";

/** The bundled binary, as npm installs it. */
export const binPath = path.join(repoRoot, "dist", "bin", "bin.js");

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** One generation cache per test process, so no test reuses what an earlier test run left. */
const testEnv = { ...process.env, VARLINK_TS_CACHE_DIR: mkdtempSync(path.join(tmpdir(), "varlink-ts-cache-")) };

/** Runs the CLI in-process with captured output, as `varlink-ts ARGS` run in `cwd`. */
export async function cli(
  args: string[],
  options: {
    cwd: string;
    stdin?: string;
    color?: boolean;
    terminal?: boolean;
    env?: Record<string, string | undefined>;
  },
): Promise<CliRun> {
  let stdout = "";
  let stderr = "";
  const io: CliIo = {
    stdout: (text) => void (stdout += text),
    stderr: (text) => void (stderr += text),
    readStdin: async () => options.stdin ?? "",
    cwd: options.cwd,
    env: options.env ?? testEnv,
    color: options.color ?? false,
    terminal: options.terminal ?? false,
  };
  const code = await runCli(args, io);
  return { code, stdout, stderr };
}

/**
 * Runs the built binary as a subprocess, as a user's shell would (asynchronously, so that a
 * server in this process keeps answering it).
 */
export function cliProcess(
  args: string[],
  options: {
    cwd?: string;
    stdin?: string;
    env?: Record<string, string | undefined> /** A command that runs the CLI, e.g. setpriv. */;
    via?: string[];
  } = {},
): Promise<CliRun> {
  const [command, ...prefix] = [...(options.via ?? []), process.execPath];
  return new Promise((resolve, reject) => {
    const child = spawn(command!, [...prefix, binPath, ...args], {
      cwd: options.cwd ?? repoRoot,
      env: { ...testEnv, NO_COLOR: "1", ...options.env },
      stdio: "pipe",
    });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (text: string) => (stdout += text));
    child.stderr.setEncoding("utf8").on("data", (text: string) => (stderr += text));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code: code ?? -1, stdout, stderr }));
    child.stdin.end(options.stdin ?? "");
  });
}
