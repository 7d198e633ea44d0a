import net from "node:net";
import { socketAddress } from "./runtime.js";

/**
 * A service that breaks off: on its first call it sends `replies` as they are (each a JSON
 * reply, NUL added), then closes the connection without another word.
 */
export async function breakingService(
  replies: object[] = [],
): Promise<{ address: string; close: () => Promise<void> }> {
  const { address, path } = socketAddress("breaking.sock");
  const server = net.createServer((socket) => {
    socket.on("error", () => socket.destroy());
    socket.once("data", () => {
      for (const reply of replies) socket.write(`${JSON.stringify(reply)}\0`);
      socket.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(path, resolve));
  return { address, close: () => new Promise((resolve) => server.close(() => resolve())) };
}
