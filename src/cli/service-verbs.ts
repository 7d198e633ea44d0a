import type { Argv } from "yargs";
import { UsageError, type CliIo } from "./io.js";
import type { SessionOptions, Target } from "./service/session.js";

// The verbs that talk to a running service, as varlinkctl has them: info, list-interfaces,
// list-methods, introspect, call; and list-registry. Each takes an ADDRESS, or --bridge CMD in its
// place (a command that speaks varlink on its stdin/stdout, as varlink's own --bridge).

type Run = (handler: (argv: Record<string, unknown>) => Promise<number>) => (argv: Record<string, unknown>) => Promise<void>;

const addressHelp = "unix:PATH, unix:@NAME, tcp:HOST:PORT, exec:PROGRAM, /path or ./path, ssh-exec:HOST:COMMAND, ssh-unix:HOST:PATH, or an http(s)/ws(s) bridge URL";

/** varlinkctl's default: a call that has no reply within 45 s is given up. */
const defaultTimeoutSeconds = 45;

function sessionOptions<T>(y: Argv<T>) {
  return y
    .option("bridge", { type: "string", describe: "Instead of ADDRESS: a command that speaks varlink on its stdin/stdout (e.g. 'ssh host varlink-ts bridge stdio')" })
    .option("timeout", { type: "string", describe: `Seconds to wait for a reply, or 'infinity' (default ${defaultTimeoutSeconds}; --more streams: infinity)` })
    .option("json", { choices: ["pretty", "short"] as const, describe: "Print JSON indented (default) or on one line" })
    .option("j", { type: "boolean", describe: "--json=pretty on a terminal, --json=short otherwise (as varlinkctl)" });
}

function timeoutOf(text: string | undefined, streaming: boolean): number | undefined {
  if (text === undefined) return streaming ? undefined : defaultTimeoutSeconds;
  if (text === "infinity" || text === "") return undefined;
  const seconds = Number(text);
  if (!(seconds > 0)) throw new UsageError(`--timeout takes a positive number of seconds or 'infinity' (got '${text}')`);
  return seconds;
}

function session(argv: Record<string, unknown>, io: CliIo, streaming = false): SessionOptions {
  const json = argv["json"] as "pretty" | "short" | undefined;
  return {
    timeout: timeoutOf(argv["timeout"] as string | undefined, streaming),
    json: json ?? (argv["j"] === true ? (io.terminal === true ? "pretty" : "short") : undefined),
    interfaceFiles: ([] as string[]).concat((argv["interface-file"] as string | string[] | undefined) ?? []),
  };
}

/** For the verbs that need an interface's description: where a service cannot give it. */
function interfaceFileOption<T>(y: Argv<T>) {
  // Not `array`: that would take the positionals after it; repeating it makes the array.
  return y.option("interface-file", {
    type: "string",
    describe: "A .varlink file describing an interface in place of the service (repeatable), for services whose GetInfo or GetInterfaceDescription fails",
  });
}

/**
 * The service a verb talks to, and the positionals after it. With --bridge there is no ADDRESS,
 * so what yargs took for it is the first of the rest.
 */
function targetOf(argv: Record<string, unknown>, rest: unknown[]): { target: Target; rest: unknown[] } {
  const bridge = argv["bridge"] as string | undefined;
  const address = argv["address"] as string | undefined;
  if (bridge === undefined) {
    if (address === undefined) throw new UsageError("name the service: an ADDRESS, or --bridge COMMAND");
    return { target: { address }, rest };
  }
  if (bridge.trim() === "") throw new UsageError("--bridge takes a command, like 'ssh host varlink-ts bridge stdio'");
  return { target: { bridge }, rest: address === undefined ? rest : [address, ...rest] };
}

/** A verb that takes ADDRESS and then INTERFACE names: list-methods and introspect. */
function interfacesVerb(verb: string, description: string, runner: "runListMethods" | "runIntrospect", io: CliIo, run: Run) {
  return [
    `${verb} [address] [interfaces..]`,
    description,
    (y: Argv) =>
      interfaceFileOption(sessionOptions(y.positional("address", { type: "string", describe: addressHelp }).positional("interfaces", { type: "string", array: true, default: [] }))),
    run(async (argv) => {
      const { target, rest } = targetOf(argv, argv["interfaces"] as string[]);
      return (await import("./commands/introspect.js"))[runner](target, rest as string[], session(argv, io), io);
    }),
  ] as const;
}

/** `commandLine`: what followed `--` (call --exec) or the method (serve), taken out before parsing. */
export function serviceVerbs(cli: Argv, io: CliIo, run: Run, commandLine?: string[]): Argv {
  return cli
    .command(
      "info [address]",
      "Print what a service says of itself (GetInfo) as JSON",
      (y) => sessionOptions(y.positional("address", { type: "string", describe: addressHelp })),
      run(async (argv) => (await import("./commands/info.js")).runInfo(targetOf(argv, []).target, session(argv, io), io)),
    )
    .command(
      "list-interfaces [address]",
      "Print the interfaces a service implements, one per line",
      (y) => sessionOptions(y.positional("address", { type: "string", describe: addressHelp })),
      run(async (argv) => (await import("./commands/info.js")).runListInterfaces(targetOf(argv, []).target, session(argv, io), io)),
    )
    .command(...interfacesVerb("list-methods", "Print the methods of a service's interfaces (all unless named), one per line", "runListMethods", io, run))
    .command(...interfacesVerb("introspect", "Print the interface text a service describes (all of its interfaces unless named)", "runIntrospect", io, run))
    .command(
      "call [address] [method] [parameters]",
      "Call a method and print the reply as JSON (parameters as JSON, or '-' for standard input)",
      (y) =>
        interfaceFileOption(
          sessionOptions(
            y
              .positional("address", { type: "string", describe: addressHelp })
              .positional("method", { type: "string", describe: "INTERFACE.Method" })
              .positional("parameters", { type: "string", describe: "A JSON object; none means {}" })
              .option("stdin", { type: "boolean", default: false, describe: "Read the parameters from standard input (same as '-')" })
              .option("more", { type: "boolean", default: false, describe: "Ask for several replies and print each as it arrives (JSON-SEQ when not on a terminal)" })
              .option("collect", { type: "boolean", default: false, describe: "Like --more, but print all the replies as one JSON array" })
              .option("oneway", { type: "boolean", default: false, describe: "Ask for no reply" })
              .option("upgrade", {
                type: "boolean",
                default: false,
                describe: "Ask to upgrade: after the reply (printed on standard error), standard input and output are the raw connection",
              })
              .option("E", { type: "boolean", default: false, describe: "Short for --more --timeout=infinity" })
              .option("quiet", { alias: "q", type: "boolean", default: false, describe: "Print no reply; the exit code tells" })
              // Not `array`: that would take the positionals after it; repeating it makes the array.
              .option("graceful", { type: "string", describe: "An error (fully qualified) that counts as success: exit 0 (repeatable)" })
              .option("push-fd", {
                type: "string",
                describe: "Send a file descriptor with the call: a number this process has open, or a file to open for reading (repeatable; indices from 0). Needs @varlink-ts/unix-fds",
              })
              .option("exec", {
                type: "boolean",
                default: false,
                describe: "call --exec ADDRESS METHOD PARAMS -- CMDLINE: run CMDLINE with the reply on its standard input and the reply's fds as fds 3, 4, … ($LISTEN_FDS)",
              }),
          ),
        ),
      run(async (argv) => {
        const { target, rest } = targetOf(
          argv,
          [argv["method"], argv["parameters"]].filter((value) => value !== undefined),
        );
        const [method, parameters, extra] = rest as Array<string | undefined>;
        if (method === undefined) throw new UsageError("name the method to call: INTERFACE.Method");
        if (extra !== undefined) throw new UsageError(`unexpected argument '${extra}'`);
        if (argv["exec"] === true && commandLine === undefined) throw new UsageError("--exec needs the command after '--': call --exec ADDRESS METHOD PARAMS -- CMDLINE");
        const more = argv["more"] === true || argv["E"] === true;
        if (argv["E"] === true && argv["timeout"] !== undefined) throw new UsageError("-E already means --timeout=infinity");
        return (await import("./commands/call.js")).runCall(
          {
            target,
            method,
            parameters,
            stdin: argv["stdin"] === true,
            more,
            collect: argv["collect"] === true,
            oneway: argv["oneway"] === true,
            upgrade: argv["upgrade"] === true,
            quiet: argv["quiet"] === true,
            graceful: ([] as string[]).concat((argv["graceful"] as string | string[] | undefined) ?? []),
            pushFds: ([] as string[]).concat((argv["push-fd"] as string | string[] | undefined) ?? []),
            exec: argv["exec"] === true ? commandLine : undefined,
            ...session(argv, io, more || argv["collect"] === true),
          },
          io,
        );
      }),
    )
    .command(
      "serve <method> [cmdline..]",
      "Serve METHOD (requiring 'upgrade'): each call's connection becomes the standard input and output of a run of CMDLINE",
      (y) =>
        y
          .positional("method", { type: "string", describe: "INTERFACE.Method" })
          .positional("cmdline", { type: "string", array: true, describe: "The command and its arguments (everything after METHOD)" })
          .option("listen", { type: "string", describe: "Address to listen on (unix:PATH, tcp:HOST:PORT); without it, the sockets of socket activation ($LISTEN_FDS)" })
          .option("max-runs", { type: "number", describe: "Runs of CMDLINE at once; further calls get the error TooManyRuns (default 64, systemd's MaxConnections=)" }),
      run(async (argv) =>
        (await import("./commands/serve.js")).runServe(
          { method: argv["method"] as string, commandLine, listen: argv["listen"] as string | undefined, maxRuns: argv["max-runs"] as number | undefined },
          io,
        ),
      ),
    )
    .command(
      "list-registry",
      "List the services in the varlink registry (/run/varlink/registry)",
      (y) =>
        y
          .option("user", { type: "boolean", describe: "The user's registry ($XDG_RUNTIME_DIR/varlink/registry)" })
          .option("system", { type: "boolean", describe: "The system's registry (the default)" })
          .option("json", { choices: ["pretty", "short"] as const, describe: "Print the entries as JSON" })
          .option("j", { type: "boolean", describe: "--json=pretty on a terminal, --json=short otherwise (as varlinkctl)" })
          .conflicts("user", "system"),
      run(async (argv) => {
        const json = (argv["json"] as "pretty" | "short" | undefined) ?? (argv["j"] === true ? (io.terminal === true ? "pretty" : "short") : undefined);
        return (await import("./commands/list-registry.js")).runListRegistry({ scope: argv["user"] === true ? "user" : "system", json }, io);
      }),
    );
}
