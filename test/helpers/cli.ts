import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { runCli } from "../../src/cli/main.js";
import type { CliIo } from "../../src/cli/io.js";

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** One generation cache per test process, so no test reuses what an earlier test run left. */
const testEnv = { ...process.env, VARLINK_TS_CACHE_DIR: mkdtempSync(path.join(tmpdir(), "varlink-ts-cache-")) };

/** Runs the CLI in-process with captured output, as `varlink-ts ARGS` run in `cwd`. */
export async function cli(args: string[], options: { cwd: string; stdin?: string; color?: boolean; env?: Record<string, string | undefined> }): Promise<CliRun> {
  let stdout = "";
  let stderr = "";
  const io: CliIo = {
    stdout: (text) => void (stdout += text),
    stderr: (text) => void (stderr += text),
    readStdin: async () => options.stdin ?? "",
    cwd: options.cwd,
    env: options.env ?? testEnv,
    color: options.color ?? false,
  };
  const code = await runCli(args, io);
  return { code, stdout, stderr };
}
