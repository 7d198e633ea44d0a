import net from "node:net";
import type { TestContext } from "node:test";
import { socketAddress } from "./runtime.js";

// Services that misbehave at the socket: they accept connections and then never answer, hang up,
// or answer each call with whatever the test writes. The bridge must cope with each of them.

/** What a raw service does with one call: the reply's JSON, "silence" (never answer) or "hang up". */
export type RawAnswer = object | "silence" | "hang up";

export interface RawService {
  address: string;
  /** Connections it has accepted so far. */
  readonly accepted: number;
  /** Calls it has read so far, by method. */
  readonly calls: string[];
}

/** A service on a fresh unix socket that answers each call with `answer(method)`; closed after the test. */
export async function rawService(t: TestContext, answer: (method: string) => RawAnswer): Promise<RawService> {
  const { address, path } = socketAddress("raw.sock");
  const sockets = new Set<net.Socket>();
  const state = { address, accepted: 0, calls: [] as string[] };
  const server = net.createServer((socket) => {
    state.accepted++;
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
    socket.on("error", () => socket.destroy());
    let buffer = Buffer.alloc(0);
    socket.on("data", (chunk: Buffer) => {
      buffer = Buffer.concat([buffer, chunk]);
      for (let end = buffer.indexOf(0); end >= 0; end = buffer.indexOf(0)) {
        const method = String((JSON.parse(buffer.subarray(0, end).toString("utf8")) as { method?: unknown }).method);
        buffer = buffer.subarray(end + 1);
        state.calls.push(method);
        const reply = answer(method);
        if (reply === "hang up") return void socket.destroy();
        if (reply !== "silence") socket.write(`${JSON.stringify(reply)}\0`);
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(path, resolve));
  t.after(async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise((resolve) => server.close(resolve));
  });
  return state;
}

/** A service that accepts connections and never answers anything. */
export function silentService(t: TestContext): Promise<RawService> {
  return rawService(t, () => "silence");
}
