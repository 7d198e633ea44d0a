import { spawn } from "node:child_process";
import { closeSync } from "node:fs";
import { exitCodeOf } from "../command-line.js";
import { stopRequestOf, type CliIo } from "../io.js";

// `call --exec … -- CMDLINE`, as varlinkctl has it: the reply goes to the command's standard
// input, the fds that came with it are the command's fds 3, 4, … announced the way socket
// activation announces them ($LISTEN_FDS, $LISTEN_PID), and the command's exit code is ours.

/** The sockets' own variables, which must not reach the command unless they describe its fds. */
const activationVariables = ["LISTEN_FDS", "LISTEN_PID", "LISTEN_PIDFDID", "LISTEN_FDNAMES"];

// $LISTEN_PID must be the command's own pid, known only once it runs: a shell sets it and then
// becomes the command (exec keeps the pid).
const withOwnPid = 'LISTEN_PID=$$; export LISTEN_PID; exec "$@"';

/**
 * Runs `commandLine` (its program found at `program`) with `replyText` on standard input and
 * `fds` (which it takes over: they are closed here once the command has them) as fds 3 onwards.
 */
export function execWithReply(
  program: string,
  commandLine: readonly string[],
  replyText: string,
  fds: readonly number[],
  io: CliIo,
): Promise<number> {
  const env: NodeJS.ProcessEnv = { ...io.env };
  for (const name of activationVariables) delete env[name];
  if (fds.length > 0) env["LISTEN_FDS"] = String(fds.length);
  const stdio = ["pipe", "inherit", "inherit", ...fds] as const;
  const child =
    fds.length > 0
      ? spawn("/bin/sh", ["-c", withOwnPid, commandLine[0]!, program, ...commandLine.slice(1)], {
          env,
          cwd: io.cwd,
          stdio: [...stdio],
        })
      : spawn(program, commandLine.slice(1), { env, cwd: io.cwd, stdio: [...stdio], argv0: commandLine[0]! });
  for (const fd of fds) closeSync(fd);
  // A command that does not read its standard input is no error.
  child.stdin!.on("error", () => {});
  child.stdin!.end(replyText);
  const stop = (): void => void child.kill(stopRequestOf(io.signal)?.by === "SIGINT" ? "SIGINT" : "SIGTERM");
  io.signal?.addEventListener("abort", stop, { once: true });
  return new Promise((resolve) => {
    child.once("error", (error) => {
      io.stderr(`varlink-ts: cannot run ${commandLine[0]}: ${error.message}\n`);
      resolve(127);
    });
    child.once("exit", (code, signal) => {
      io.signal?.removeEventListener("abort", stop);
      resolve(exitCodeOf(code, signal));
    });
  });
}
