import { stat } from "node:fs/promises";
import net from "node:net";
import {
  AddressError,
  formatAddress,
  parseAddress,
  unixSocketPath,
  type Address,
  type StreamAddress,
} from "./address.js";
import { ConnectionError } from "../protocol/errors.js";
import type { ServiceProcess } from "./command.js";
import { spawnActivated, type ExecSocket } from "./exec.js";
import { sshExec, sshUnix } from "./ssh.js";
import type { FdPassing } from "../fds/fd-stream.js";

/** An open byte stream to a service, and what to do when the client is done with it. */
export interface Transport {
  /** A socket, or the pipes of a process (typed as a socket: only the stream part is used). */
  socket: net.Socket;
  /** Set when the client started a process for the connection (exec:, ssh-*): it ends with it. */
  server: ServiceProcess | undefined;
}

export function connectSocket(
  address: Extract<Address, { kind: "unix" | "tcp" }>,
  signal?: AbortSignal,
): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const socket =
      address.kind === "unix"
        ? net.createConnection({ path: unixSocketPath(address) })
        : net.createConnection({ host: address.host, port: address.port, noDelay: true });
    const onAbort = (): void => {
      socket.destroy();
      reject(new ConnectionError("connecting was aborted", { cause: signal?.reason }));
    };
    signal?.addEventListener("abort", onAbort, { once: true });
    socket.once("connect", () => {
      signal?.removeEventListener("abort", onAbort);
      socket.removeAllListeners("error");
      resolve(socket);
    });
    socket.once("error", (error: NodeJS.ErrnoException) => {
      signal?.removeEventListener("abort", onAbort);
      reject(
        new ConnectionError(`cannot connect to ${formatAddress(address)}: ${connectFailureReason(error)}`, {
          cause: error,
        }),
      );
    });
  });
}

/** A unix socket through the fd-passing add-on (which connects at once, or fails). */
function connectPassingFds(address: Extract<Address, { kind: "unix" }>, fdPassing: FdPassing): net.Socket {
  try {
    // Typed as a socket, as a process's pipes are: only the stream part is used.
    return fdPassing.connect(address.abstract ? `@${address.path}` : address.path) as unknown as net.Socket;
  } catch (error) {
    throw new ConnectionError(
      `cannot connect to ${formatAddress(address)}: ${connectFailureReason(error as NodeJS.ErrnoException)}`,
      { cause: error },
    );
  }
}

/** Why connecting failed, in words; the error code stays on the error's `cause`. */
const connectFailures: Record<string, string> = {
  ENOENT: "no such socket",
  ENOTDIR: "no such socket",
  ECONNREFUSED: "connection refused (nothing is listening there)",
  EACCES: "permission denied",
  EPERM: "permission denied",
  ENOTFOUND: "unknown host",
  EAI_AGAIN: "the host name could not be resolved",
  EHOSTUNREACH: "host unreachable",
  ENETUNREACH: "network unreachable",
  ETIMEDOUT: "timed out",
  ECONNRESET: "the connection was reset",
};

export function connectFailureReason(error: NodeJS.ErrnoException): string {
  return (error.code !== undefined ? connectFailures[error.code] : undefined) ?? error.message;
}

export async function openTransport(
  addressText: string,
  signal?: AbortSignal,
  execSocket?: ExecSocket,
  fdPassing?: FdPassing,
): Promise<Transport> {
  const address = parseAddress(addressText);
  if (address.kind === "bridge") {
    throw new AddressError(
      addressText,
      "an HTTP bridge is not a socket: open it with openConnection(), or HttpConnection or connectWebSocket",
    );
  }
  return openStream(address, signal, execSocket, fdPassing);
}

async function openStream(
  address: StreamAddress,
  signal?: AbortSignal,
  execSocket?: ExecSocket,
  fdPassing?: FdPassing,
): Promise<Transport> {
  switch (address.kind) {
    case "unix":
      if (fdPassing !== undefined) return { socket: connectPassingFds(address, fdPassing), server: undefined };
      return { socket: await connectSocket(address, signal), server: undefined };
    case "tcp":
      return { socket: await connectSocket(address, signal), server: undefined };
    case "path":
      return openStream(await resolvePath(address.path), signal, execSocket, fdPassing);
    case "ssh-exec": {
      const { stream, process } = await sshExec(address.host, address.command);
      return { socket: stream as net.Socket, server: process };
    }
    case "ssh-unix": {
      const { socket, process } = await sshUnix(
        address.host,
        address.path,
        (local) => connectSocket({ kind: "unix", path: local, abstract: false }, signal),
        signal,
      );
      return { socket, server: process };
    }
    case "exec":
      return openExec(address, execSocket, signal);
  }
}

/** A plain path, as varlinkctl takes one: a socket is connected to, an executable started. */
async function resolvePath(path: string): Promise<StreamAddress> {
  const info = await stat(path).catch((error: NodeJS.ErrnoException) => {
    throw new ConnectionError(`cannot connect to ${path}: ${connectFailureReason(error)}`, { cause: error });
  });
  if (info.isSocket()) return { kind: "unix", path, abstract: false };
  if (info.isFile() && (info.mode & 0o111) !== 0) return { kind: "exec", command: path, args: [] };
  throw new ConnectionError(`cannot connect to ${path}: it is neither a socket nor an executable`);
}

async function openExec(
  address: Extract<Address, { kind: "exec" }>,
  execSocket: ExecSocket | undefined,
  signal: AbortSignal | undefined,
): Promise<Transport> {
  const server = await spawnActivated(address.command, address.args, execSocket);
  if (server.socket !== undefined) return { socket: server.socket, server };
  try {
    return { socket: await connectSocket({ kind: "unix", path: server.socketPath!, abstract: false }, signal), server };
  } catch (error) {
    // A refused connection usually means the program has already ended: say so.
    const ended = await server.endedWithin(200);
    await server.stop();
    throw ended === undefined
      ? error
      : new ConnectionError(`${address.command} ${ended} before accepting a connection`, { cause: error });
  }
}
