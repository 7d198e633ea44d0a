import yargs, { type Argv } from "yargs";
import { splitCommandLine } from "./command-line.js";
import { completeFromService, runCompletion } from "./completion.js";
import { exitCodes, processIo, UsageError, type CliIo } from "./io.js";
import { serviceVerbs } from "./service-verbs.js";
import { packageVersion } from "./version.js";
import { addCommand, type Run } from "./options/command.js";
import { optionTables } from "./options/commands.js";
import { jsonStyles } from "./options/shared.js";

// argv in, exit code out. Commands do their own work; this file only wires them to yargs and
// turns failures into exit codes: 0 clean, 1 problems found, 2 wrong usage. Each command's code
// is loaded only when it runs: `generate` with nothing to do must not pay for the IDL parser.

function commands(cli: Argv, io: CliIo, run: Run, commandLine: string[] | undefined): Argv {
  const t = optionTables;
  const withCommands = serviceVerbs(cli, io, run, commandLine);
  addCommand(
    withCommands,
    ["check <inputs..>", "validate-idl <inputs..>"],
    "Parse and check .varlink files (FILE, DIR or GLOB)",
    t.check,
    run,
    async (values) => (await import("./commands/check.js")).runCheck(values, io),
  );
  addCommand(
    withCommands,
    "generate [inputs..]",
    "Generate typed TypeScript (types, validators, client, server) from .varlink files",
    t.generate,
    run,
    async (values) => (await import("./commands/generate.js")).runGenerate(values, io),
  );
  addCommand(
    withCommands,
    "derive <inputs..>",
    "Write .varlink files for the interfaces TypeScript files declare (marked @varlink NAME)",
    t.derive,
    run,
    async (values) => (await import("./commands/derive.js")).runDerive(values, io),
  );
  addCommand(
    withCommands,
    "openapi <inputs..>",
    "Print the OpenAPI 3.1 document of .varlink files as the HTTP bridge serves them",
    t.openapi,
    run,
    async (values) => (await import("./commands/openapi.js")).runOpenApi(values, io),
  );
  withCommands.command("bridge", "Expose varlink services over HTTP and WebSocket, or over stdin/stdout", (y) => {
    addCommand(
      y,
      "http",
      "Serve bridged services over HTTP (UAPI.20 simple mode, introspection, WebSocket)",
      t["bridge http"],
      run,
      async (values) => (await import("./commands/bridge.js")).runHttpBridge(values, io),
    );
    addCommand(
      y,
      "stdio",
      "Speak varlink on stdin/stdout and forward each call to the service of its interface (for ssh)",
      t["bridge stdio"],
      run,
      async (values) => (await import("./commands/bridge.js")).runStdioBridge(values, io),
    );
    return y.demandCommand(1, "Name a bridge: http or stdio.");
  });
  addCommand(
    withCommands,
    "lsp",
    "Run the language server for .varlink files over stdin/stdout (for editors)",
    t.lsp,
    run,
    async (values) => (await import("./commands/lsp.js")).runLsp(values),
  );
  addCommand(
    withCommands,
    "init <dir>",
    "Create a new varlink service project (interface, generated code, server, client, tests)",
    t.init,
    run,
    async (values) => (await import("./commands/init.js")).runInit(values, io),
  );
  addCommand(
    withCommands,
    "fmt [inputs..]",
    "Print .varlink files in canonical form ('-' reads standard input)",
    t.fmt,
    run,
    async (values) => (await import("./commands/fmt.js")).runFmt(values, io),
  );
  return withCommands;
}

/**
 * A bare `--json` (with no pretty/short after it) means what `-j` means, as it would to a
 * varlinkctl user; yargs would otherwise take the next argument (the address) as its value.
 */
function bareJsonAsJ(args: string[]): string[] {
  const end = args.indexOf("--");
  return args.map((arg, index) =>
    arg === "--json" &&
    (end === -1 || index < end) &&
    !(jsonStyles as readonly string[]).includes(args[index + 1] ?? "")
      ? "-j"
      : arg,
  );
}

export async function runCli(args: readonly string[], io: CliIo = processIo()): Promise<number> {
  let code: number = exitCodes.ok;
  const run =
    (handler: Parameters<Run>[0]) =>
    async (argv: Record<string, unknown>): Promise<void> => {
      code = await handler(argv);
    };
  // A command line of the user's (serve, call --exec) is not ours to parse.
  const { args: ours, commandLine } = splitCommandLine(args);
  // yargs drops a bare "-", the usual name for standard input, so it is spelled out here.
  const argv = bareJsonAsJ(ours.map((arg) => (arg === "-" ? "--stdin" : arg)));
  // yargs would pick the script by $SHELL; here the user names the shell.
  if (argv[0] === "completion" && !argv.includes("--get-yargs-completions")) {
    try {
      return runCompletion(argv[1], io);
    } catch (error) {
      if (!(error instanceof UsageError)) throw error;
      io.stderr(`varlink-ts: ${error.message}\n`);
      return exitCodes.usage;
    }
  }
  const cli = commands(yargs(argv), io, run, commandLine)
    .completion(
      "completion",
      "Print the completion script for bash or zsh (varlink-ts completion zsh)",
      completeFromService(io),
    )
    .scriptName("varlink-ts")
    .usage("$0 <command> [options]")
    .demandCommand(1, "Name a command.")
    .recommendCommands()
    .strict()
    .version(packageVersion)
    .help()
    .alias("h", "help")
    .wrap(Math.min(100, process.stdout.columns ?? 100));
  try {
    let failed = false;
    await cli.parseAsync(argv, {}, (error, _argv, output) => {
      if (error) {
        failed = true;
        // A handler's own error comes with no output: it is printed below, in one line.
        if (output.trim() !== "") io.stderr(`${output.trim()}\n`);
      } else if (output) {
        io.stdout(`${output.trimEnd()}\n`);
      }
    });
    return failed ? exitCodes.usage : code;
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr(`varlink-ts: ${error.message}\n`);
      return exitCodes.usage;
    }
    const message = error instanceof Error ? error.message : String(error);
    io.stderr(`varlink-ts: ${message}\n`);
    return exitCodes.problems;
  }
}
