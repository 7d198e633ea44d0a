import { runCli } from "../../src/cli/main.js";
import type { CliIo } from "../../src/cli/io.js";

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the CLI in-process with captured output, as `varlink-ts ARGS` run in `cwd`. */
export async function cli(args: string[], options: { cwd: string; stdin?: string; color?: boolean }): Promise<CliRun> {
  let stdout = "";
  let stderr = "";
  const io: CliIo = {
    stdout: (text) => void (stdout += text),
    stderr: (text) => void (stderr += text),
    readStdin: async () => options.stdin ?? "",
    cwd: options.cwd,
    color: options.color ?? false,
  };
  const code = await runCli(args, io);
  return { code, stdout, stderr };
}
