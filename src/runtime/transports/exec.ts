import { spawn, type ChildProcess } from "node:child_process";
import { access, constants, mkdtemp, rename, rm } from "node:fs/promises";
import net from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { ConnectionError } from "../protocol/errors.js";
import { exitWithin, type ServiceProcess } from "./command.js";
import { startListening } from "./listen.js";

/** How an `exec:` program gets its socket: one end of a socket pair, or a listening socket (socket activation). */
export type ExecSocket = "socketpair" | "listening";

/** A server started for `exec:` with socket activation. */
export interface SpawnedServer extends ServiceProcess {
  process: ChildProcess;
  /** With a socketpair: our end of it, already connected. */
  socket: net.Socket | undefined;
  /** With a listening socket: where to connect. */
  socketPath: string | undefined;
}

/**
 * Starts `command` as varlinkctl does: one end of a socketpair as fd 3, with LISTEN_FDS=1,
 * LISTEN_FDNAMES=varlink and LISTEN_PID set to the server's own pid. libuv makes a child's
 * 'pipe' stdio entries with socketpair(2) on Unix, so fd 3 is exactly that. With `listening`,
 * fd 3 is a listening socket instead, as libvarlink passes, for servers that only take that.
 * Node cannot set an environment variable after fork, so a shell sets LISTEN_PID to its own pid
 * and then execs the server, which keeps that pid.
 */
export async function spawnActivated(
  command: string,
  args: string[],
  kind: ExecSocket = "socketpair",
): Promise<SpawnedServer> {
  await access(command, constants.X_OK).catch((error: NodeJS.ErrnoException) => {
    throw new ConnectionError(
      `cannot start ${command}: ${error.code === "ENOENT" ? "no such file" : "not executable"}`,
      { cause: error },
    );
  });
  const listening = kind === "listening" ? await listeningSocket() : undefined;
  const child = spawn("/bin/sh", ["-c", 'LISTEN_PID=$$ exec "$0" "$@"', command, ...args], {
    // The service's own output goes to our standard error: standard output is the caller's (JSON for jq).
    stdio: ["ignore", 2, "inherit", listening?.fd ?? "pipe"],
    env: { ...process.env, LISTEN_FDS: "1", LISTEN_FDNAMES: "varlink" },
  });
  try {
    await new Promise<void>((resolve, reject) => {
      child.once("spawn", resolve);
      child.once("error", (error) =>
        reject(new ConnectionError(`cannot start ${command}: ${error.message}`, { cause: error })),
      );
    });
  } catch (error) {
    await listening?.cleanup();
    throw error;
  }
  // The child holds the listening socket now; our copy must not accept connections meant for it.
  listening?.close();
  const exited = new Promise<string>((resolve) =>
    child.once("exit", (code, signal) => resolve(signal ? `was killed by ${signal}` : `exited with code ${code}`)),
  );
  const socket = listening === undefined ? (child.stdio[3] as net.Socket) : undefined;
  return {
    process: child,
    socket,
    socketPath: listening?.path,
    exited,
    endedWithin: (ms) => exitWithin(exited, ms),
    stop: async () => {
      socket?.destroy();
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
      await exited;
      await listening?.cleanup();
    },
  };
}

/**
 * A listening unix socket in a private folder. libuv unlinks a socket's path when its listener
 * closes, so it is bound under another name and renamed: the path then outlives our copy.
 */
async function listeningSocket(): Promise<{
  fd: number;
  path: string;
  close: () => void;
  cleanup: () => Promise<void>;
}> {
  const folder = await mkdtemp(path.join(tmpdir(), "varlink-exec-"));
  const socketPath = path.join(folder, "socket");
  const boundPath = path.join(folder, "socket.bound");
  const listener = net.createServer();
  await startListening(listener, { path: boundPath, backlog: 64 });
  await rename(boundPath, socketPath);
  return {
    fd: (listener as unknown as { _handle: { fd: number } })._handle.fd,
    path: socketPath,
    close: () => listener.close(),
    cleanup: async () => {
      listener.close();
      await rm(folder, { recursive: true, force: true });
    },
  };
}
