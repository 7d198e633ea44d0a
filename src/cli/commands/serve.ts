import { spawn, type ChildProcess } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import type { Duplex } from "node:stream";
import { VarlinkError, VarlinkServer, type ServiceInterface } from "@varlink-ts/runtime";
import { isQualifiedMemberName } from "@varlink-ts/runtime/model";
import { resolveProgram } from "../command-line.js";
import { exitCodes, untilAborted, UsageError, type CliIo } from "../io.js";
import type { optionTables } from "../options/commands.js";
import type { OptionValues } from "../options/table.js";

// `varlink-ts serve METHOD CMDLINE…`, as varlinkctl has it: a service with one method that
// requires 'upgrade'; each call is answered, then the connection is the standard input and
// output of a new run of the command. The counterpart of `call --upgrade`. It serves the
// sockets socket activation hands over, or --listen ADDRESS.

/** Runs at once unless --max-runs says otherwise: systemd's default MaxConnections= for a socket that starts one per connection. */
export const defaultMaxRuns = 64;

/** After SIGINT or SIGTERM, how long the runs have to end after their SIGTERM before SIGKILL. */
export const stopGraceMs = 5000;

/** How long a connection whose command has ended may stay open, for a caller that never closes its side. */
const lingerMs = 5000;

/**
 * `listen`: an address; without it, the sockets of socket activation ($LISTEN_FDS). `maxRuns`:
 * runs at once, more calls are answered with the error TooManyRuns (default defaultMaxRuns).
 */
export type ServeCommandOptions = OptionValues<typeof optionTables.serve> & { commandLine: string[] | undefined };

type Log = (message: string, error?: unknown) => void;

export async function runServe(options: ServeCommandOptions, io: CliIo): Promise<number> {
  if (!isQualifiedMemberName(options.method))
    throw new UsageError(
      `'${options.method}' is not a method name: expected INTERFACE.Method, e.g. org.example.shell.Run`,
    );
  const maxRuns = options.maxRuns ?? defaultMaxRuns;
  if (!Number.isInteger(maxRuns) || maxRuns < 1)
    throw new UsageError(`--max-runs takes a whole number of at least 1 (got ${String(options.maxRuns)})`);
  const program = resolveProgram("serve", options.commandLine, io.env, io.cwd);
  const commandLine = options.commandLine!;
  const runs = new Set<ChildProcess>();
  const log: Log = (message, error) =>
    io.stderr(`varlink-ts serve: ${message}${error instanceof Error ? `: ${error.message}` : ""}\n`);
  const server = new VarlinkServer({ logger: log });
  const interfaceName = options.method.slice(0, options.method.lastIndexOf("."));
  server.addInterface(
    upgradeOnly(options.method, async (upgrade) => {
      if (runs.size >= maxRuns) throw new VarlinkError(`${interfaceName}.TooManyRuns`, { limit: maxRuns });
      if (fdHeadroom() < fdsPerSpawn)
        throw new VarlinkError(`${interfaceName}.CannotRun`, {
          reason: "serve has too few file descriptors left (EMFILE)",
        });
      // Upgraded at once: what the caller sends after the call is the command's, not varlink.
      const stream = upgrade();
      const child = start(program, commandLine, io, stream, log);
      if (child === undefined) return;
      runs.add(child);
      try {
        await runOn(stream, child);
      } finally {
        runs.delete(child);
      }
    }),
  );
  if (options.listen !== undefined) {
    try {
      await server.listen(options.listen);
    } catch (error) {
      throw new UsageError(error instanceof Error ? error.message : String(error));
    }
  } else if (!(await server.listenActivated(io.env as NodeJS.ProcessEnv))) {
    throw new UsageError("serve needs a socket: pass --listen ADDRESS, or start it socket-activated ($LISTEN_FDS)");
  }
  // A connection handed over by socket activation (exec:, Accept=yes) has no address to list.
  const where =
    server.addresses.length > 0 ? server.addresses.join(", ") : "the connection socket activation passed (fd 3)";
  log(`${options.method} on ${where} runs ${commandLine.join(" ")}`);
  await untilAborted(io.signal);
  await stopRuns(server, runs);
  return exitCodes.ok;
}

/**
 * Stops taking calls, asks every run to end (SIGTERM) and kills what is left after
 * stopGraceMs (SIGKILL), so that a command that ignores SIGTERM cannot keep serve running.
 */
async function stopRuns(server: VarlinkServer, runs: ReadonlySet<ChildProcess>): Promise<void> {
  const closed = server.close({ timeout: stopGraceMs + 1000 });
  for (const run of runs) run.kill("SIGTERM");
  const killer = setTimeout(() => {
    for (const run of runs) run.kill("SIGKILL");
  }, stopGraceMs);
  await closed;
  clearTimeout(killer);
}

/**
 * The interface of `method` alone, which takes no parameters and requires 'upgrade'. The handler
 * gets the function that upgrades the call: it may refuse the call with an error first.
 */
function upgradeOnly(method: string, onCall: (upgrade: () => Duplex) => Promise<void>): ServiceInterface {
  const dot = method.lastIndexOf(".");
  const name = method.slice(dot + 1);
  return {
    name: method.slice(0, dot),
    description: `interface ${method.slice(0, dot)}

# Connects the caller to a command's standard input and output.
# [Requires 'upgrade' flag]
method ${name}() -> ()

# As many runs of the command as serve allows at once are running already.
error TooManyRuns (limit: int)

# The command cannot be started now: serve is short of file descriptors.
error CannotRun (reason: string)
`,
    methods: {
      [name]: {
        upgrade: "requires",
        parameters: (parameters) => {
          const extra = Object.keys(parameters)[0];
          if (extra === undefined) return { ok: true, value: parameters };
          return {
            ok: false,
            issues: [
              {
                path: extra,
                segments: [extra],
                expected: "no such parameter",
                got: "a value",
                message: `${extra}: this method takes no parameters`,
              },
            ],
          };
        },
        handler: (_parameters: object, context) =>
          onCall(() => {
            const stream = context.upgradeConnection({}) as Duplex;
            // The command may still answer after the caller has ended its input (Duplex documents
            // this switch; the server's sockets are not half-open for varlink itself).
            stream.allowHalfOpen = true;
            return stream;
          }),
      },
    },
  };
}

/**
 * The fds a spawn takes in this process at once: socketpairs for the command's standard input
 * and output, libuv's pipe to learn of exec's failure, and a margin. Short of them, spawn fails
 * with EMFILE and Node does not close the pipes it had made: checked before, so it never comes
 * to that.
 */
const fdsPerSpawn = 8;

/** How many more fds this process may open (by /proc; unbounded where there is none). */
function fdHeadroom(): number {
  try {
    const limit = /^Max open files\s+(\d+)/m.exec(readFileSync("/proc/self/limits", "utf8"))?.[1];
    return limit === undefined ? Number.POSITIVE_INFINITY : Number(limit) - readdirSync("/proc/self/fd").length;
  } catch {
    return Number.POSITIVE_INFINITY;
  }
}

/**
 * A run of the command on `stream`, or undefined if it cannot start: then the connection is
 * closed and why is logged. spawn reports running out of fds (EMFILE) as an 'error' event and
 * leaves the child without pipes.
 */
function start(
  program: string,
  commandLine: readonly string[],
  io: CliIo,
  stream: Duplex,
  log: Log,
): ChildProcess | undefined {
  const failed = (error: unknown): void => {
    log(`cannot run ${commandLine[0]}`, error);
    stream.destroy();
  };
  try {
    const child = spawn(program, commandLine.slice(1), {
      argv0: commandLine[0]!,
      cwd: io.cwd,
      env: { ...io.env },
      stdio: ["pipe", "pipe", "inherit"],
    });
    child.once("error", failed);
    if (child.stdin && child.stdout) return child;
  } catch (error) {
    failed(error);
  }
  return undefined;
}

/**
 * The command on an upgraded connection: what the caller sends is its input, its output goes
 * back. A caller that ends its input ends the command's; a caller that leaves closes the
 * command's pipes (a command writing on gets SIGPIPE, as varlinkctl's would); a command that
 * exits ends the connection. Resolves when both are done.
 */
function runOn(stream: Duplex, child: ChildProcess): Promise<void> {
  const stdin = child.stdin!;
  const stdout = child.stdout!;
  stdin.on("error", () => {});
  stdout.on("error", () => {});
  stream.on("error", () => {});
  stream.pipe(stdin);
  stdout.pipe(stream);
  const left = (): void => {
    stdin.destroy();
    stdout.destroy();
  };
  stream.once("close", left);
  if (stream.destroyed) left();
  return new Promise((resolve) => {
    child.once("close", () => {
      stream.off("close", left);
      stream.unpipe(stdin);
      if (stream.destroyed) return resolve();
      // What the caller still sends goes nowhere; the connection closes once it has what the
      // command wrote and has closed its side, or after lingerMs.
      stream.resume();
      const linger = setTimeout(() => stream.destroy(), lingerMs);
      stream.once("close", () => {
        clearTimeout(linger);
        resolve();
      });
      stream.end();
    });
  });
}
