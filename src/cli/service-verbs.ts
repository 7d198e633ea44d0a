import type { Argv } from "yargs";
import { UsageError, type CliIo } from "./io.js";
import { addCommand, type Run } from "./options/command.js";
import { optionTables, type sessionOptions } from "./options/commands.js";
import type { OptionValues } from "./options/table.js";
import type { SessionOptions, Target } from "./service/session.js";

// The verbs that talk to a running service, as varlinkctl has them: info, list-interfaces,
// list-methods, introspect, call; and list-registry. Each takes an ADDRESS, or --bridge CMD in its
// place (a command that speaks varlink on its stdin/stdout, as varlink's own --bridge).

/** varlinkctl's default: a call that has no reply within 45 s is given up. */
const defaultTimeoutSeconds = 45;

type SessionValues = OptionValues<typeof sessionOptions> & { interfaceFile?: string[] };

/** The limit on a call: --timeout, else 45 s (none for a stream); `infinity` is none. */
function timeoutOf(seconds: number | undefined, streaming: boolean): number | undefined {
  if (seconds === undefined) return streaming ? undefined : defaultTimeoutSeconds;
  return Number.isFinite(seconds) ? seconds : undefined;
}

function session(values: SessionValues, io: CliIo, streaming = false): SessionOptions {
  return {
    timeout: timeoutOf(values.timeout, streaming),
    json: jsonStyleOf(values, io),
    interfaceFiles: values.interfaceFile ?? [],
  };
}

/** --json as given, else -j's choice: pretty on a terminal, short otherwise. */
function jsonStyleOf(
  values: { json: "pretty" | "short" | undefined; j: boolean | undefined },
  io: CliIo,
): "pretty" | "short" | undefined {
  return values.json ?? (values.j === true ? (io.terminal === true ? "pretty" : "short") : undefined);
}

/**
 * The service a verb talks to, and the positionals after it. With --bridge there is no ADDRESS,
 * so what yargs took for it is the first of the rest.
 */
function targetOf(
  values: { bridge: string | undefined; address: string | undefined },
  rest: readonly unknown[],
): { target: Target; rest: unknown[] } {
  const { bridge, address } = values;
  if (bridge === undefined) {
    if (address === undefined) throw new UsageError("name the service: an ADDRESS, or --bridge COMMAND");
    return { target: { address }, rest: [...rest] };
  }
  if (bridge.trim() === "") throw new UsageError("--bridge takes a command, like 'ssh host varlink-ts bridge stdio'");
  return { target: { bridge }, rest: address === undefined ? [...rest] : [address, ...rest] };
}

/** `commandLine`: what followed `--` (call --exec) or the method (serve), taken out before parsing. */
export function serviceVerbs(cli: Argv, io: CliIo, run: Run, commandLine?: string[]): Argv {
  const t = optionTables;
  addCommand(
    cli,
    "info [address]",
    "Print what a service says of itself (GetInfo) as JSON",
    t.info,
    run,
    async (values) =>
      (await import("./commands/info.js")).runInfo(targetOf(values, []).target, session(values, io), io),
  );
  addCommand(
    cli,
    "list-interfaces [address]",
    "Print the interfaces a service implements, one per line",
    t["list-interfaces"],
    run,
    async (values) =>
      (await import("./commands/info.js")).runListInterfaces(targetOf(values, []).target, session(values, io), io),
  );
  for (const [verb, description, runner] of [
    ["list-methods", "Print the methods of a service's interfaces (all unless named), one per line", "runListMethods"],
    [
      "introspect",
      "Print the interface text a service describes (all of its interfaces unless named)",
      "runIntrospect",
    ],
  ] as const) {
    addCommand(cli, `${verb} [address] [interfaces..]`, description, t[verb], run, async (values) => {
      const { target, rest } = targetOf(values, values.interfaces);
      return (await import("./commands/introspect.js"))[runner](target, rest as string[], session(values, io), io);
    });
  }
  addCommand(
    cli,
    "call [address] [method] [parameters]",
    "Call a method and print the reply as JSON (parameters as JSON, or '-' for standard input)",
    t.call,
    run,
    async (values) => {
      const { target, rest } = targetOf(
        values,
        [values.method, values.parameters].filter((value) => value !== undefined),
      );
      const [method, parameters, extra] = rest as Array<string | undefined>;
      if (method === undefined) throw new UsageError("name the method to call: INTERFACE.Method");
      if (extra !== undefined) throw new UsageError(`unexpected argument '${extra}'`);
      if (values.exec && commandLine === undefined)
        throw new UsageError("--exec needs the command after '--': call --exec ADDRESS METHOD PARAMS -- CMDLINE");
      const more = values.more || values.E;
      if (values.E && values.timeout !== undefined) throw new UsageError("-E already means --timeout=infinity");
      return (await import("./commands/call.js")).runCall(
        {
          target,
          method,
          parameters,
          stdin: values.stdin,
          more,
          collect: values.collect,
          oneway: values.oneway,
          upgrade: values.upgrade,
          quiet: values.quiet,
          graceful: values.graceful,
          pushFds: values.pushFd,
          exec: values.exec ? commandLine : undefined,
          ...session(values, io, more || values.collect),
        },
        io,
      );
    },
  );
  addCommand(
    cli,
    "serve <method> [cmdline..]",
    "Serve METHOD (requiring 'upgrade'): each call's connection becomes the standard input and output of a run of CMDLINE",
    t.serve,
    run,
    async (values) => (await import("./commands/serve.js")).runServe({ ...values, commandLine }, io),
  );
  addCommand(
    cli,
    "list-registry",
    "List the services in the varlink registry (/run/varlink/registry)",
    t["list-registry"],
    run,
    async (values) =>
      (await import("./commands/list-registry.js")).runListRegistry(
        { scope: values.user === true ? "user" : "system", json: jsonStyleOf(values, io) },
        io,
      ),
    (y) => y.conflicts("user", "system"),
  );
  return cli;
}
