import { spawn } from "node:child_process";
import { mkdtemp, rm, stat } from "node:fs/promises";
import type net from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { ConnectionError } from "../protocol/errors.js";
import { cannotStart, describeExit, exitWithin, lastLine, spawnCommand, type ServiceProcess } from "./command.js";

// varlink over ssh, through the system's ssh (or $SYSTEMD_SSH, as systemd honours it):
// - ssh-exec:HOST:COMMAND runs COMMAND on HOST and speaks varlink on its stdin/stdout, with
//   SYSTEMD_VARLINK_LISTEN=- set so that systemd's tools serve there, as varlinkctl does;
// - ssh-unix:HOST:/path reaches a unix socket on HOST. systemd uses `ssh -W /path`, which needs
//   OpenSSH 9.4 on both ends; forwarding a local socket with -L works from OpenSSH 6.7, so that
//   is used, with the local end in a private folder only this user can enter.

function sshProgram(): string {
  return process.env["SYSTEMD_SSH"] || "ssh";
}

export function sshExec(
  host: string,
  command: readonly string[],
): Promise<{ stream: import("node:stream").Duplex; process: ServiceProcess }> {
  return spawnCommand(sshProgram(), ["-e", "none", "-T", "--", host, "env", "SYSTEMD_VARLINK_LISTEN=-", ...command]);
}

/**
 * Starts ssh forwarding a private local socket to `remotePath` on `host`, and waits until the
 * local end exists. `connect` then connects to it; the forwarding ends with the connection.
 */
export async function sshUnix(
  host: string,
  remotePath: string,
  connect: (localPath: string) => Promise<net.Socket>,
  signal?: AbortSignal,
): Promise<{ socket: net.Socket; process: ServiceProcess }> {
  const folder = await mkdtemp(path.join(tmpdir(), "varlink-ssh-"));
  const local = path.join(folder, "socket");
  const child = spawn(
    sshProgram(),
    [
      "-e",
      "none",
      "-T",
      "-N",
      "-o",
      "ExitOnForwardFailure=yes",
      "-o",
      "StreamLocalBindMask=0177",
      "-L",
      `${local}:${remotePath}`,
      "--",
      host,
    ],
    { stdio: ["ignore", "ignore", "pipe"] },
  );
  let stderr = "";
  child.stderr!.setEncoding("utf8").on("data", (text: string) => (stderr = (stderr + text).slice(-2048)));
  const cleanup = (): Promise<void> => rm(folder, { recursive: true, force: true });
  const exited = describeExit(sshProgram(), child, () => stderr);
  let ended: string | undefined;
  void exited.then((how) => (ended = how));
  const spawnError = new Promise<NodeJS.ErrnoException>((resolve) => child.once("error", (error) => resolve(error)));
  let failedToStart: NodeJS.ErrnoException | undefined;
  void spawnError.then((error) => (failedToStart = error));
  const stop = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null && failedToStart === undefined) {
      child.kill("SIGTERM");
      await exited;
    }
    await cleanup();
  };
  try {
    // ssh creates the local socket once it is logged in and the forwarding is set up.
    for (;;) {
      if (failedToStart !== undefined) throw cannotStart(sshProgram(), failedToStart);
      if (ended !== undefined) throw new ConnectionError(`cannot reach ${remotePath} on ${host}: ${ended}`);
      if (signal?.aborted) throw new ConnectionError("connecting was aborted", { cause: signal.reason });
      if (
        await stat(local).then(
          () => true,
          () => false,
        )
      )
        break;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const socket = await connect(local);
    return {
      socket,
      process: {
        exited,
        said: () => forwardingFailure(stderr, host, remotePath),
        endedWithin: (ms) => exitWithin(exited, ms),
        stop,
      },
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** ssh's reason for closing a forwarded connection ("channel 1: open failed: ..."), in words. */
function forwardingFailure(stderr: string, host: string, remotePath: string): string | undefined {
  const line = lastLine(stderr);
  if (line === undefined) return undefined;
  const open = /^channel \d+: open failed: (.*)$/.exec(line);
  return open ? `ssh could not open ${remotePath} on ${host} (${open[1]})` : `ssh said: ${line}`;
}
