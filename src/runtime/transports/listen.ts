import { lstat } from "node:fs/promises";
import type net from "node:net";
import { dirname } from "node:path";

/**
 * Starts `server` listening (on an address, or on an inherited descriptor `{ fd }`) and resolves
 * once it is, or rejects with the error that stopped it.
 */
export function startListening(server: net.Server, options: net.ListenOptions | { fd: number }): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(options, () => {
      server.off("error", reject);
      resolve();
    });
  });
}

/**
 * Why listening failed, in words (the code stays on the error). For a unix socket path whose
 * folder does not exist, Node reports EACCES; the folder is named instead.
 */
export async function listenFailureReason(error: NodeJS.ErrnoException, socketPath?: string): Promise<string> {
  if (socketPath !== undefined && (await lstat(dirname(socketPath)).catch(() => undefined)) === undefined)
    return `the folder ${dirname(socketPath)} does not exist`;
  switch (error.code) {
    case "EADDRINUSE":
      return "the address is in use (another program listens there)";
    case "EACCES":
    case "EPERM":
      return "permission denied";
    case "EADDRNOTAVAIL":
      return "no such address on this machine";
    default:
      return error.code ?? error.message;
  }
}
