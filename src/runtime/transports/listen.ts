import type net from "node:net";

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
