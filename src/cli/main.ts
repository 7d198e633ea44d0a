import yargs, { type Argv } from "yargs";
import { splitCommandLine } from "./command-line.js";
import { completeFromService, runCompletion } from "./completion.js";
import { exitCodes, processIo, UsageError, type CliIo } from "./io.js";
import { serviceVerbs } from "./service-verbs.js";
import { packageVersion } from "./version.js";

// argv in, exit code out. Commands do their own work; this file only wires them to yargs and
// turns failures into exit codes: 0 clean, 1 problems found, 2 wrong usage. Each command's code
// is loaded only when it runs: `generate` with nothing to do must not pay for the IDL parser.

type Handler = (argv: Record<string, unknown>) => Promise<number>;

function commands(cli: Argv, io: CliIo, run: (handler: Handler) => (argv: Record<string, unknown>) => Promise<void>, commandLine: string[] | undefined): Argv {
  return serviceVerbs(cli, io, run, commandLine)
    .command(
      ["check <inputs..>", "validate-idl <inputs..>"],
      "Parse and check .varlink files (FILE, DIR or GLOB)",
      (y) =>
        y
          .positional("inputs", { type: "string", array: true, demandOption: true })
          .option("lint", { type: "boolean", default: false, describe: "Also warn about what systemd refuses" })
          .option("format", { choices: ["text", "json"] as const, default: "text" as const, describe: "Output format" }),
      run(async (argv) =>
        (await import("./commands/check.js")).runCheck({ inputs: argv["inputs"] as string[], lint: argv["lint"] === true, format: argv["format"] as "text" | "json" }, io),
      ),
    )
    .command(
      "generate [inputs..]",
      "Generate typed TypeScript (types, validators, client, server) from .varlink files",
      (y) =>
        y
          .positional("inputs", { type: "string", array: true, default: [] })
          .option("out", { alias: "o", type: "string", describe: "Output folder (or 'out' in the config file)" })
          .option("check", { type: "boolean", default: false, describe: "Write nothing; exit 1 listing stale, missing and extra files" })
          .option("staged", { type: "boolean", default: false, describe: "With --check: judge what git's index holds (what is being committed), not the working tree" })
          .option("watch", { type: "boolean", default: false, describe: "Regenerate whenever an input changes" })
          .option("config", { type: "string", describe: "Configuration file (default: varlink-ts.config.json, or package.json \"varlink-ts\")" })
          .option("runtime-import", { type: "string", describe: "Module the generated code imports the runtime from (default @varlink-ts/runtime)" })
          .option("import-extension", { choices: [".js", ".ts", "none"] as const, describe: "Extension of sibling imports in index.ts (default .js, for NodeNext)" })
          .option("integers", { choices: ["number", "bigint"] as const, describe: "How int is represented: number (default; beyond 2^53 is an error) or bigint (exact)" })
          .option("index", { type: "boolean", describe: "Write index.ts re-exporting every interface (default true; --no-index)" })
          .option("from", { type: "string", describe: "Generate from a running service's introspection instead of files (an ADDRESS)" })
          .option("interface", { type: "string", array: true, describe: "With --from: only these interfaces (default: all but org.varlink.service)" })
          .option("cache", {
            type: "boolean",
            describe: "Reuse files generated before from the same input and generator (default true; --no-cache). Kept in node_modules/.cache/varlink-ts or $VARLINK_TS_CACHE_DIR",
          }),
      run(async (argv) =>
        (await import("./commands/generate.js")).runGenerate(
          {
            inputs: argv["inputs"] as string[],
            out: argv["out"] as string | undefined,
            check: argv["check"] === true,
            watch: argv["watch"] === true,
            config: argv["config"] as string | undefined,
            runtimeImport: argv["runtimeImport"] as string | undefined,
            importExtension: argv["importExtension"] === "none" ? "" : (argv["importExtension"] as ".js" | ".ts" | undefined),
            integers: argv["integers"] as "number" | "bigint" | undefined,
            index: argv["index"] as boolean | undefined,
            cache: argv["cache"] as boolean | undefined,
            from: argv["from"] as string | undefined,
            interfaces: argv["interface"] as string[] | undefined,
            staged: argv["staged"] === true,
          },
          io,
        ),
      ),
    )
    .command(
      "derive <inputs..>",
      "Write .varlink files for the interfaces TypeScript files declare (marked @varlink NAME)",
      (y) =>
        y
          .positional("inputs", { type: "string", array: true, demandOption: true })
          .option("out", { alias: "o", type: "string", default: ".", describe: "Folder for the .varlink files, named after their interfaces" })
          .option("check", { type: "boolean", default: false, describe: "Write nothing; exit 1 listing stale and missing files" })
          .option("strict-numbers", { type: "boolean", default: false, describe: "A bare number is an error instead of a float with a warning" }),
      run(async (argv) =>
        (await import("./commands/derive.js")).runDerive(
          { inputs: argv["inputs"] as string[], out: argv["out"] as string, check: argv["check"] === true, strictNumbers: argv["strictNumbers"] === true },
          io,
        ),
      ),
    )
    .command(
      "openapi <inputs..>",
      "Print the OpenAPI 3.1 document of .varlink files as the HTTP bridge serves them",
      (y) =>
        y
          .positional("inputs", { type: "string", array: true, demandOption: true })
          .option("service", { type: "string", describe: "The bridge's name for the service: paths become /call/SERVICE/METHOD" })
          .option("server", { type: "string", describe: "The bridge's URL, as the document's server (e.g. http://127.0.0.1:8080/varlink)" })
          .option("out", { alias: "o", type: "string", describe: "Write the document to this file instead of standard output" }),
      run(async (argv) =>
        (await import("./commands/openapi.js")).runOpenApi(
          { inputs: argv["inputs"] as string[], service: argv["service"] as string | undefined, server: argv["server"] as string | undefined, out: argv["out"] as string | undefined },
          io,
        ),
      ),
    )
    .command("bridge", "Expose varlink services over HTTP and WebSocket, or over stdin/stdout", (y) =>
      y
        .command(
          "http",
          "Serve bridged services over HTTP (UAPI.20 simple mode, introspection, WebSocket)",
          (b) =>
            b
              .option("listen", { type: "string", default: "127.0.0.1:8080", describe: "HOST:PORT to listen on (loopback unless --allow-remote)" })
              .option("service", { type: "string", array: true, default: [], describe: "NAME=ADDRESS of a service to bridge (repeatable)" })
              .option("base", { type: "string", default: "", describe: "Path prefix of every route, e.g. /varlink" })
              .option("token-file", { type: "string", describe: "File holding the bearer token every request must carry (or $VARLINK_TS_BRIDGE_TOKEN)" })
              .option("max-body", { type: "number", default: 1024 * 1024, describe: "Largest request body in bytes" })
              .option("allow-remote", { type: "boolean", default: false, describe: "Allow listening on a non-loopback address (name its hosts with --allow-host)" })
              .option("allow-host", { type: "string", array: true, default: [], describe: "A host name requests may use besides localhost, 127.0.0.1 and [::1] (repeatable); others are refused against DNS rebinding" })
              .option("allow-origin", { type: "string", array: true, default: [], describe: "Web origins whose pages may call the bridge (CORS) and open its WebSocket route" })
              .option("timeout", { type: "number", describe: "Seconds a simple-mode call may take" })
              .option("header-timeout", { type: "number", default: 10, describe: "Seconds a client has to send a request's headers (then 408)" })
              .option("body-timeout", { type: "number", default: 30, describe: "Seconds a client has to send a whole request, headers and body (then 408)" })
              .option("tls-cert", { type: "string", describe: "Serve HTTPS and WSS with this certificate (PEM, with its chain)" })
              .option("tls-key", { type: "string", describe: "The private key of --tls-cert (PEM)" })
              .option("client-ca", { type: "string", describe: "Require client certificates signed by this CA (PEM): mutual TLS" })
              .option("insecure", { type: "boolean", default: false, describe: "Allow listening beyond loopback with neither a token nor client certificates" })
              .option("ui", { type: "boolean", default: false, describe: "Serve the explorer at the base path: browse the services, fill in calls, see replies stream" })
              .option("interface-file", { type: "string", array: true, default: [], describe: "SERVICE=FILE: the description of an interface of a service that cannot describe itself (repeatable)" }),
          run(async (argv) =>
            (await import("./commands/bridge.js")).runHttpBridge(
              {
                listen: argv["listen"] as string,
                services: argv["service"] as string[],
                base: argv["base"] as string,
                tokenFile: argv["tokenFile"] as string | undefined,
                maxBody: argv["maxBody"] as number,
                allowRemote: argv["allowRemote"] === true,
                allowOrigins: argv["allowOrigin"] as string[],
                allowHosts: argv["allowHost"] as string[],
                tlsCert: argv["tlsCert"] as string | undefined,
                tlsKey: argv["tlsKey"] as string | undefined,
                clientCa: argv["clientCa"] as string | undefined,
                insecure: argv["insecure"] === true,
                ui: argv["ui"] === true,
                interfaceFiles: argv["interfaceFile"] as string[],
                timeout: argv["timeout"] as number | undefined,
                headerTimeout: argv["headerTimeout"] as number,
                bodyTimeout: argv["bodyTimeout"] as number,
              },
              io,
            ),
          ),
        )
        .command(
          "stdio",
          "Speak varlink on stdin/stdout and forward each call to the service of its interface (for ssh)",
          (b) =>
            b
              .option("service", { type: "string", array: true, default: [], describe: "NAME=ADDRESS; NAME may be an interface, else the service's GetInfo tells" })
              .option("resolver", { type: "string", describe: "ADDRESS of an org.varlink.resolver for other interfaces" }),
          run(async (argv) => (await import("./commands/bridge.js")).runStdioBridge({ services: argv["service"] as string[], resolver: argv["resolver"] as string | undefined }, io)),
        )
        .demandCommand(1, "Name a bridge: http or stdio."),
    )
    .command(
      "lsp",
      "Run the language server for .varlink files over stdin/stdout (for editors)",
      (y) =>
        y
          .option("stdio", { type: "boolean", default: true, describe: "Speak LSP on stdin/stdout (the only transport; accepted for editors that pass it)" })
          .option("lint", { type: "boolean", default: false, describe: "Also report the portability warnings (editors can change it: the 'varlink-ts.lint' setting)" })
          .option("client-process-id", { type: "number", hidden: true }),
      run(async (argv) => (await import("./commands/lsp.js")).runLsp({ lint: argv["lint"] === true })),
    )
    .command(
      "init <dir>",
      "Create a new varlink service project (interface, generated code, server, client, tests)",
      (y) =>
        y
          .positional("dir", { type: "string", demandOption: true, describe: "Folder to create the project in" })
          .option("force", { type: "boolean", default: false, describe: "Write into a folder that is not empty" })
          .option("packages", { type: "string", describe: "A folder of packed tarballs (npm run pack) for the project to depend on instead of the registry" }),
      run(async (argv) =>
        (await import("./commands/init.js")).runInit({ dir: argv["dir"] as string, force: argv["force"] === true, packages: argv["packages"] as string | undefined }, io),
      ),
    )
    .command(
      "fmt [inputs..]",
      "Print .varlink files in canonical form ('-' reads standard input)",
      (y) =>
        y
          .positional("inputs", { type: "string", array: true, default: [] })
          .option("stdin", { type: "boolean", default: false, describe: "Read one file from standard input (same as '-')" })
          .option("write", { type: "boolean", default: false, describe: "Rewrite files in place when they change" })
          .option("check", { type: "boolean", default: false, describe: "Write nothing; exit 1 listing unformatted files" }),
      run(async (argv) =>
        (await import("./commands/fmt.js")).runFmt(
          { inputs: argv["inputs"] as string[], stdin: argv["stdin"] === true, write: argv["write"] === true, check: argv["check"] === true },
          io,
        ),
      ),
    );
}

/**
 * A bare `--json` (with no pretty/short after it) means what `-j` means, as it would to a
 * varlinkctl user; yargs would otherwise take the next argument (the address) as its value.
 */
function bareJsonAsJ(args: string[]): string[] {
  const end = args.indexOf("--");
  return args.map((arg, index) => (arg === "--json" && (end === -1 || index < end) && !["pretty", "short"].includes(args[index + 1] ?? "") ? "-j" : arg));
}

export async function runCli(args: readonly string[], io: CliIo = processIo()): Promise<number> {
  let code: number = exitCodes.ok;
  const run =
    (handler: Handler) =>
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
    .completion("completion", "Print the completion script for bash or zsh (varlink-ts completion zsh)", completeFromService(io))
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
