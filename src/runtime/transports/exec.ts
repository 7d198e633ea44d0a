import { spawn, type ChildProcess } from "node:child_process";
import { access, constants, mkdtemp, rename, rm } from "node:fs/promises";
import net from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { ConnectionError } from "../errors.js";

/** A server started for `exec:` with a listening socket handed over by socket activation. */
export interface SpawnedServer {
  process: ChildProcess;
  socketPath: string;
  /** Resolves with a description when the server process ends. */
  exited: Promise<string>;
  stop(): Promise<void>;
}

/**
 * Starts `command` with a listening unix socket as fd 3 and LISTEN_FDS=1,
 * LISTEN_FDNAMES=varlink, LISTEN_PID set to the server's own pid, as libvarlink's exec
 * transport does. Node cannot set an environment variable after fork, so a shell sets
 * LISTEN_PID to its own pid and then execs the server, which keeps that pid.
 */
export async function spawnActivated(command: string, args: string[]): Promise<SpawnedServer> {
  await access(command, constants.X_OK).catch((error: NodeJS.ErrnoException) => {
    throw new ConnectionError(`cannot start ${command}: ${error.code === "ENOENT" ? "no such file" : "not executable"}`, { cause: error });
  });
  const folder = await mkdtemp(path.join(tmpdir(), "varlink-exec-"));
  const socketPath = path.join(folder, "socket");
  // libuv unlinks a unix socket's path when its listener closes; bound under another name and
  // renamed, the socket keeps its path after we close our copy below.
  const boundPath = path.join(folder, "socket.bound");
  const listener = net.createServer();
  await new Promise<void>((resolve, reject) => {
    listener.once("error", reject);
    listener.listen({ path: boundPath, backlog: 64 }, resolve);
  });
  await rename(boundPath, socketPath);
  const fd = (listener as unknown as { _handle: { fd: number } })._handle.fd;
  const child = spawn("/bin/sh", ["-c", 'LISTEN_PID=$$ exec "$0" "$@"', command, ...args], {
    stdio: ["ignore", "inherit", "inherit", fd],
    env: { ...process.env, LISTEN_FDS: "1", LISTEN_FDNAMES: "varlink" },
  });
  const started = new Promise<void>((resolve, reject) => {
    child.once("spawn", resolve);
    child.once("error", (error) => reject(new ConnectionError(`cannot start ${command}: ${error.message}`, { cause: error })));
  });
  const cleanup = async (): Promise<void> => {
    listener.close();
    await rm(folder, { recursive: true, force: true });
  };
  try {
    await started;
  } catch (error) {
    await cleanup();
    throw error;
  }
  // The child holds the socket now; our copy must not accept connections meant for it.
  listener.close();
  const exited = new Promise<string>((resolve) =>
    child.once("exit", (code, signal) => resolve(signal ? `was killed by ${signal}` : `exited with code ${code}`)),
  );
  return {
    process: child,
    socketPath,
    exited,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
      await exited;
      await cleanup();
    },
  };
}
