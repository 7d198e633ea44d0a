import net from "node:net";
import { formatAddress, parseAddress, unixSocketPath, type Address } from "./address.js";
import { ConnectionError } from "../errors.js";
import { spawnActivated, type ExecSocket, type SpawnedServer } from "./exec.js";

/** An open byte stream to a service, and what to do when the client is done with it. */
export interface Transport {
  socket: net.Socket;
  /** Set for `exec:` addresses: the server process the client started. */
  server: SpawnedServer | undefined;
}

export function connectSocket(address: Exclude<Address, { kind: "exec" }>, signal?: AbortSignal): Promise<net.Socket> {
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
      reject(new ConnectionError(`cannot connect to ${formatAddress(address)}: ${connectFailureReason(error)}`, { cause: error }));
    });
  });
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

export async function openTransport(addressText: string, signal?: AbortSignal, execSocket?: ExecSocket): Promise<Transport> {
  const address = parseAddress(addressText);
  if (address.kind !== "exec") return { socket: await connectSocket(address, signal), server: undefined };
  const server = await spawnActivated(address.command, address.args, execSocket);
  if (server.socket !== undefined) return { socket: server.socket, server };
  try {
    return { socket: await connectSocket({ kind: "unix", path: server.socketPath!, abstract: false }, signal), server };
  } catch (error) {
    // A refused connection usually means the program has already ended: say so.
    const ended = await server.endedWithin(200);
    await server.stop();
    throw ended === undefined ? error : new ConnectionError(`${address.command} ${ended} before accepting a connection`, { cause: error });
  }
}
