import assert from "node:assert/strict";
import net from "node:net";
import { describe, test } from "node:test";
import { eventually, startServer, testService, type TestState } from "../helpers/runtime.js";

// How a server on Node's own unix sockets treats a client that ends its side, as sd-varlink
// does: a half-close still gets the answers to the calls sent, a client gone both ways has its
// calls cancelled. (test/unix-fds/hostile.test.ts holds the same for the add-on's sockets.)

type After = { after: (f: () => unknown) => void };

async function served(t: After) {
  const state: TestState = { started: 0, running: 0, notified: [] };
  const started = await startServer([testService(state)]);
  t.after(() => started.server.close({ timeout: 0 }));
  return { ...started, state };
}

function call(method: string, parameters: object = {}): string {
  return `${JSON.stringify({ method, parameters })}\0`;
}

/** A client socket that may half-close and still read, and what it has read. */
function connect(t: After, socketPath: string): { socket: net.Socket; read: () => string; ended: Promise<void> } {
  const socket = net.createConnection({ path: socketPath, allowHalfOpen: true });
  t.after(() => socket.destroy());
  let text = "";
  socket.setEncoding("utf8").on("data", (chunk: string) => (text += chunk));
  socket.on("error", () => {});
  const ended = new Promise<void>((resolve) => socket.once("end", resolve));
  return { socket, read: () => text, ended };
}

describe("a client that ends its side on Node's unix sockets", () => {
  test("a half-closed client gets the answer to its async call, then the connection closes", async (t) => {
    const { path: socketPath } = await served(t);
    const client = connect(t, socketPath);
    client.socket.end(call("org.example.test.Slow", { ms: 100 }));
    await client.ended;
    assert.equal(client.read(), `${JSON.stringify({ parameters: {} })}\0`);
  });

  test("a client gone both ways has its running call cancelled at once", async (t) => {
    const { server, path: socketPath, state } = await served(t);
    const client = connect(t, socketPath);
    client.socket.write(call("org.example.test.Slow", { ms: 60_000 }));
    await eventually(() => state.running === 1, "the call runs");
    client.socket.destroy();
    await eventually(() => state.running === 0, "the call was cancelled");
    await eventually(() => server.connectionCount === 0, "the server dropped the connection");
  });

  test("a client that half-closes and leaves later has its running call cancelled", async (t) => {
    const { server, path: socketPath, state } = await served(t);
    const client = connect(t, socketPath);
    client.socket.end(call("org.example.test.Slow", { ms: 100 }) + call("org.example.test.Slow", { ms: 60_000 }));
    // The first answer came after the half-close: the server took it as one.
    await eventually(() => client.read().includes("\0"), "the first call is answered");
    client.socket.destroy();
    await eventually(() => state.running === 0, "the second call was cancelled");
    await eventually(() => server.connectionCount === 0, "the server dropped the connection");
  });
});
