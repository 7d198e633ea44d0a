import { accessSync, constants, statSync } from "node:fs";
import { constants as osConstants } from "node:os";
import path from "node:path";
import { UsageError } from "./io.js";
import { optionTables } from "./options/commands.js";
import { flagName, type OptionTable } from "./options/table.js";

// Verbs that run a command of the user's: `call --exec … -- CMDLINE` and `serve METHOD CMDLINE…`.
// Their command lines are taken out of the arguments before yargs sees them, since a command's
// own options (`cat -n`) are not ours to parse.

/** The arguments yargs parses, and the command line they carry, if any. */
export interface SplitArguments {
  args: string[];
  commandLine?: string[];
}

/** serve's options that take a value as the next argument (`--listen ADDRESS`, `--max-runs N`), from its table. */
const servesValuedOptions = new Set(
  Object.entries(optionTables.serve as OptionTable)
    .filter(([, option]) => !option.positional && option.yargs.type !== "boolean")
    .map(([key]) => `--${flagName(key)}`),
);

/**
 * `serve [OPTIONS] METHOD CMDLINE…`: everything after METHOD is the command (a `--` before it
 * is dropped). `call --exec … -- CMDLINE`: everything after the first `--`.
 */
export function splitCommandLine(args: readonly string[]): SplitArguments {
  const verbAt = args.findIndex((arg) => !arg.startsWith("-"));
  if (args[verbAt] === "serve") {
    let methodAt = verbAt + 1;
    // serve's options with a value, `--listen ADDRESS` and `--max-runs N`: the value is not the method.
    while (methodAt < args.length && args[methodAt]!.startsWith("-"))
      methodAt += servesValuedOptions.has(args[methodAt]!) ? 2 : 1;
    if (methodAt >= args.length) return { args: [...args] };
    const rest = args.slice(methodAt + 1);
    return { args: args.slice(0, methodAt + 1), commandLine: rest[0] === "--" ? rest.slice(1) : rest };
  }
  const end = args.indexOf("--");
  if (end !== -1 && args.slice(0, end).includes("--exec"))
    return { args: args.slice(0, end), commandLine: args.slice(end + 1) };
  return { args: [...args] };
}

/**
 * The program a command line runs, found as a shell would (a name without a slash is looked up
 * in PATH), so that a misspelt command is a usage error before anything is called or served.
 */
export function resolveProgram(
  option: string,
  commandLine: readonly string[] | undefined,
  env: Readonly<Record<string, string | undefined>>,
  cwd: string,
): string {
  const program = commandLine?.[0];
  if (program === undefined || program === "") throw new UsageError(`${option} needs a command line to run`);
  if (program.includes("/")) {
    const file = path.resolve(cwd, program);
    if (!isExecutable(file)) throw new UsageError(`${option}: ${program} is not an executable file`);
    return file;
  }
  for (const folder of (env["PATH"] ?? "").split(":")) {
    const file = path.join(folder === "" ? cwd : path.resolve(cwd, folder), program);
    if (isExecutable(file)) return file;
  }
  throw new UsageError(`${option}: no command '${program}' in PATH`);
}

function isExecutable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return statSync(file).isFile();
  } catch {
    return false;
  }
}

/** A child's end as a shell reports it: its exit code, or 128 + the number of the signal that killed it. */
export function exitCodeOf(code: number | null, signal: NodeJS.Signals | null): number {
  if (code !== null) return code;
  const number = signal === null ? undefined : (osConstants.signals as Record<string, number | undefined>)[signal];
  return 128 + (number ?? 0);
}
