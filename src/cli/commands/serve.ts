import { spawn, type ChildProcess } from "node:child_process";
import type { Duplex } from "node:stream";
import { VarlinkServer, type ServiceInterface } from "@varlink-ts/runtime";
import { isQualifiedMemberName } from "../../idl/names.js";
import { resolveProgram } from "../command-line.js";
import { exitCodes, untilAborted, UsageError, type CliIo } from "../io.js";

// `varlink-ts serve METHOD CMDLINE…`, as varlinkctl has it: a service with one method that
// requires 'upgrade'; each call is answered, then the connection is the standard input and
// output of a new run of the command. The counterpart of `call --upgrade`. It serves the
// sockets socket activation hands over, or --listen ADDRESS.

export interface ServeCommandOptions {
  method: string;
  commandLine: string[] | undefined;
  /** An address to listen on; without it, the sockets of socket activation ($LISTEN_FDS). */
  listen: string | undefined;
}

export async function runServe(options: ServeCommandOptions, io: CliIo): Promise<number> {
  if (!isQualifiedMemberName(options.method)) throw new UsageError(`'${options.method}' is not a method name: expected INTERFACE.Method, e.g. org.example.shell.Run`);
  const program = resolveProgram("serve", options.commandLine, io.env, io.cwd);
  const commandLine = options.commandLine!;
  const runs = new Set<ChildProcess>();
  const log = (message: string, error?: unknown): void => io.stderr(`varlink-ts serve: ${message}${error instanceof Error ? `: ${error.message}` : ""}\n`);
  const server = new VarlinkServer({ logger: log });
  server.addInterface(upgradeOnly(options.method, (stream) => runOn(stream, program, commandLine, io, runs, log)));
  if (options.listen !== undefined) {
    try {
      await server.listen(options.listen);
    } catch (error) {
      throw new UsageError(error instanceof Error ? error.message : String(error));
    }
  } else if (!(await server.listenActivated(io.env as NodeJS.ProcessEnv))) {
    throw new UsageError("serve needs a socket: pass --listen ADDRESS, or start it socket-activated ($LISTEN_FDS)");
  }
  log(`${options.method} on ${server.addresses.join(", ")} runs ${commandLine.join(" ")}`);
  await untilAborted(io.signal);
  for (const run of runs) run.kill("SIGTERM");
  await server.close({ timeout: 5000 });
  return exitCodes.ok;
}

/** The interface of `method` alone, which takes no parameters and requires 'upgrade'. */
function upgradeOnly(method: string, onUpgrade: (stream: Duplex) => Promise<void>): ServiceInterface {
  const dot = method.lastIndexOf(".");
  const name = method.slice(dot + 1);
  return {
    name: method.slice(0, dot),
    description: `interface ${method.slice(0, dot)}\n\n# Connects the caller to a command's standard input and output.\n# [Requires 'upgrade' flag]\nmethod ${name}() -> ()\n`,
    methods: {
      [name]: {
        upgrade: "requires",
        parameters: (parameters) => {
          const extra = Object.keys(parameters)[0];
          if (extra === undefined) return { ok: true, value: parameters };
          return { ok: false, issues: [{ path: extra, segments: [extra], expected: "no such parameter", got: "a value", message: `${extra}: this method takes no parameters` }] };
        },
        handler: (_parameters: object, context) => {
          const stream = context.upgradeConnection({}) as Duplex;
          // The command may still answer after the caller has ended its input (Duplex documents
          // this switch; the server's sockets are not half-open for varlink itself).
          stream.allowHalfOpen = true;
          return onUpgrade(stream);
        },
      },
    },
  };
}

/** One run of the command on an upgraded connection; resolves when it has ended and the connection is closed. */
function runOn(stream: Duplex, program: string, commandLine: readonly string[], io: CliIo, runs: Set<ChildProcess>, log: (message: string, error?: unknown) => void): Promise<void> {
  const child = spawn(program, commandLine.slice(1), { argv0: commandLine[0]!, cwd: io.cwd, env: { ...io.env }, stdio: ["pipe", "pipe", "inherit"] });
  runs.add(child);
  // What the caller sends is the command's input; its output goes back. A caller that leaves
  // ends the command's input; a command that exits ends the connection.
  child.stdin!.on("error", () => {});
  stream.on("error", () => child.stdin!.destroy());
  stream.pipe(child.stdin!);
  child.stdout!.pipe(stream);
  return new Promise((resolve) => {
    child.once("error", (error) => {
      log(`cannot run ${commandLine[0]}`, error);
      stream.destroy();
      runs.delete(child);
      resolve();
    });
    child.once("close", () => {
      runs.delete(child);
      stream.end();
      stream.once("finish", resolve).once("close", resolve).once("error", resolve);
      if (stream.writableFinished || stream.destroyed) resolve();
    });
  });
}
