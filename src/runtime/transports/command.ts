import { spawn, type ChildProcess } from "node:child_process";
import { Duplex } from "node:stream";
import { ConnectionError } from "../protocol/errors.js";

// A program that speaks varlink on its standard input and output: `--bridge` commands such as
// `ssh host varlink-ts bridge stdio`, and ssh-exec: addresses.

/** A process a connection started and owns: it ends with the connection. */
export interface ServiceProcess {
  /** Resolves with a description when the process ends. */
  exited: Promise<string>;
  /** How the process ended, if it does within `ms`. */
  endedWithin(ms: number): Promise<string | undefined>;
  /** Why the process closed the stream while it still runs (ssh's reason for closing a channel), in words. */
  said?(): string | undefined;
  stop(): Promise<void>;
}

const stderrKept = 2048;

/** How `exited` resolves, if it does within `ms`; undefined if the process still runs then. */
export function exitWithin(exited: Promise<string>, ms: number): Promise<string | undefined> {
  return Promise.race([exited, new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), ms).unref())]);
}

/** Why a program could not be started, in words. */
export function cannotStart(command: string, error: NodeJS.ErrnoException): ConnectionError {
  const why =
    error.code === "ENOENT" ? "no such program" : error.code === "EACCES" ? "permission denied" : error.message;
  return new ConnectionError(`cannot start ${command}: ${why}`, { cause: error });
}

/** What a process said on stderr last, for error messages: the last non-empty line. */
export function lastLine(text: string): string | undefined {
  return text
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => line !== "")
    .at(-1);
}

/** How a child ended, in words, with the last thing it said. */
export function describeExit(name: string, child: ChildProcess, stderr: () => string): Promise<string> {
  return new Promise((resolve) =>
    child.once("exit", (code, signal) => {
      const said = lastLine(stderr());
      resolve(
        `${name} ${signal ? `was killed by ${signal}` : `exited with code ${code}`}${said !== undefined ? `: ${said}` : ""}`,
      );
    }),
  );
}

/** Starts `command` with pipes for stdin and stdout; stderr is kept for error messages. */
export async function spawnCommand(
  command: string,
  args: readonly string[],
  env?: NodeJS.ProcessEnv,
): Promise<{ stream: Duplex; process: ServiceProcess }> {
  const child = spawn(command, args, { stdio: ["pipe", "pipe", "pipe"], env: env ?? process.env });
  let stderr = "";
  child.stderr!.setEncoding("utf8").on("data", (text: string) => (stderr = (stderr + text).slice(-stderrKept)));
  await new Promise<void>((resolve, reject) => {
    child.once("spawn", resolve);
    child.once("error", (error: NodeJS.ErrnoException) => reject(cannotStart(command, error)));
  });
  const exited = describeExit(command, child, () => stderr);
  const stream = Duplex.from({ readable: child.stdout!, writable: child.stdin! });
  // A peer that goes away mid-write is reported through `exited`, not as an unhandled error.
  child.stdin!.on("error", () => {});
  return {
    stream,
    process: {
      exited,
      said: () => {
        const line = lastLine(stderr);
        return line !== undefined ? `${command} said: ${line}` : undefined;
      },
      endedWithin: (ms) => exitWithin(exited, ms),
      stop: async () => {
        child.stdin!.end();
        if (child.exitCode === null && child.signalCode === null) {
          const timer = setTimeout(() => child.kill("SIGTERM"), 1000).unref();
          await exited;
          clearTimeout(timer);
        }
      },
    },
  };
}
