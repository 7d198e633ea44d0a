import assert from "node:assert/strict";
import { closeSync, readdirSync } from "node:fs";
import { describe, test } from "node:test";
import { ConnectionError, SocketConnection } from "@varlink-ts/runtime";
import { dup, unixFds, type FdSocket } from "@varlink-ts/unix-fds";
import { fdsService, fileWith, noFdLeak, openFdCount, spawnLimitedServer } from "../helpers/fds.js";
import { eventually, socketAddress, startServer, testService, type TestState } from "../helpers/runtime.js";

// What an attacker or a careless caller can do to a server and a client on the add-on's
// sockets, and what must hold: calls are answered (a half-close) or cancelled (a client gone),
// the server lives and keeps accepting, and every fd and connection it was given is let go.

type After = { after: (f: () => unknown) => void };

async function fdServer(t: After) {
  const state: TestState = { started: 0, running: 0, notified: [] };
  const started = await startServer([testService(state), fdsService()], { fdPassing: unixFds });
  t.after(() => started.server.close({ timeout: 0 }));
  return { ...started, state };
}

function call(method: string, parameters: object = {}): string {
  return `${JSON.stringify({ method, parameters })}\0`;
}

/** Writes `data` with `fds` on a raw add-on socket; resolves once they went. */
function send(socket: FdSocket, data: string, fds: readonly number[] = []): Promise<void> {
  return new Promise((resolve, reject) =>
    socket.writeWithFds(data, fds, (error) => (error ? reject(error) : resolve())),
  );
}

/** Everything a raw socket reads until the server closes it. */
function readToEnd(socket: FdSocket): Promise<string> {
  let text = "";
  socket.setEncoding("utf8").on("data", (chunk: string) => (text += chunk));
  return new Promise((resolve) => socket.once("end", () => resolve(text)));
}

async function fdsOfFile(t: After, count: number): Promise<number[]> {
  const file = fileWith("x");
  const fds = Array.from({ length: count }, () => dup(file));
  closeSync(file);
  t.after(() => {
    for (const fd of fds) closeSync(fd);
  });
  return fds;
}

describe("hostile peers on the add-on's sockets", () => {
  test("clients that send a call with fds, shut their side and leave: each call is cancelled, every fd let go", async (t) => {
    const { server, path: socketPath, state } = await fdServer(t);
    const fds = await fdsOfFile(t, 5);
    const before = openFdCount();
    const clients = 100;
    for (let i = 0; i < clients; i++) {
      const socket = unixFds.connect(socketPath);
      await send(socket, call("org.example.test.Slow", { ms: 60_000 }), fds);
      socket.end();
      socket.once("finish", () => socket.destroy());
    }
    await eventually(() => state.started === clients, "every call started");
    await eventually(() => state.running === 0, `every handler was cancelled (${state.running} still run)`);
    await eventually(() => server.connectionCount === 0, "the server dropped every connection");
    await noFdLeak(before);
  });

  test("a client that half-closes gets the answer to its call, then the connection closes", async (t) => {
    const { path: socketPath } = await fdServer(t);
    const socket = unixFds.connect(socketPath);
    t.after(() => socket.destroy());
    const replies = readToEnd(socket);
    await send(socket, call("org.example.test.Slow", { ms: 100 }));
    socket.end();
    assert.equal(await replies, `${JSON.stringify({ parameters: {} })}\0`);
  });

  test("a client gone while its call runs and the server reads none of its calls: the call is cancelled", async (t) => {
    const state: TestState = { started: 0, running: 0, notified: [] };
    const { server, path: socketPath } = await startServer([testService(state)], {
      fdPassing: unixFds,
      maxQueuedCalls: 4,
    });
    t.after(() => server.close({ timeout: 0 }));
    const socket = unixFds.connect(socketPath);
    // A long call, then more calls than the server queues and its stream buffers: it stops
    // reading, and must still notice the client leave.
    socket.on("error", () => {});
    socket.write(
      call("org.example.test.Slow", { ms: 60_000 }) +
        call("org.example.test.Echo", { value: "x".repeat(100) }).repeat(2000),
    );
    await eventually(() => state.running === 1, "the call runs");
    socket.destroy();
    await eventually(() => state.running === 0, "the call was cancelled");
    await eventually(() => server.connectionCount === 0, "the server dropped the connection");
  });

  test("a call given an fd that is not open fails alone; the connection goes on", async (t) => {
    const { address } = await fdServer(t);
    const client = await SocketConnection.connect(address, { fdPassing: unixFds });
    t.after(() => client.close());
    const [fd] = await fdsOfFile(t, 1);
    const closed = dup(fd!);
    closeSync(closed);
    await assert.rejects(
      client.call("org.example.fds.Count", {}, { fds: [closed] }),
      (error: unknown) => error instanceof ConnectionError && /EBADF/.test(error.message),
    );
    assert.deepEqual(await client.call("org.example.fds.Count", {}, { fds: [fd!] }), { count: 1, texts: ["x"] });
  });

  test("fds sent on an upgraded connection are let go as its handler reads", async (t) => {
    const { path: socketPath } = await fdServer(t);
    const [fd] = await fdsOfFile(t, 1);
    const socket = unixFds.connect(socketPath);
    t.after(() => socket.destroy());
    let text = "";
    socket.setEncoding("utf8").on("data", (chunk: string) => (text += chunk));
    await send(socket, `${JSON.stringify({ method: "org.example.test.Shout", upgrade: true })}\0`);
    await eventually(() => text.includes("\0"), "the upgrade is answered");
    const before = openFdCount();
    for (let i = 0; i < 200; i++) await send(socket, "x", [fd!, fd!]);
    await eventually(() => text.endsWith("X".repeat(200)), "the handler read every chunk");
    await noFdLeak(before);
  });

  test("more than 253 fds for one message: those past its first byte are closed, said in the log; the server goes on", async (t) => {
    const { address, path: socketPath, logged } = await fdServer(t);
    const fds = await fdsOfFile(t, 253);
    const before = openFdCount();
    const socket = unixFds.connect(socketPath);
    const text = call("org.example.fds.Count");
    const replies = readToEnd(socket);
    await send(socket, text.slice(0, 10), fds);
    await send(socket, text.slice(10), fds);
    socket.end();
    const reply = JSON.parse((await replies).replace(/\0$/, "")) as { parameters: { count: number } };
    assert.equal(reply.parameters.count, 253);
    assert.ok(
      logged.some((line) => /closed 253 file descriptor\(s\) that came with no message's first byte/.test(line)),
      logged.join("\n"),
    );
    socket.destroy();
    await noFdLeak(before);
    const client = await SocketConnection.connect(address, { fdPassing: unixFds });
    t.after(() => client.close());
    assert.deepEqual(await client.call("org.example.fds.Count", {}), { count: 0, texts: [] });
  });

  test("fds with bytes that never finish a message, from a client that then leaves: all closed", async (t) => {
    const { server, path: socketPath } = await fdServer(t);
    const fds = await fdsOfFile(t, 10);
    const before = openFdCount();
    const socket = unixFds.connect(socketPath);
    for (let i = 0; i < 20; i++) await send(socket, " ", fds);
    await eventually(() => server.connectionCount === 1, "the server has the connection");
    socket.destroy();
    await eventually(() => server.connectionCount === 0, "the server dropped the connection");
    await noFdLeak(before);
  });

  test("out of fds (EMFILE): once the clients leave, the server still lives and accepts", async (t) => {
    const { address, path: socketPath } = socketAddress("emfile.sock");
    const child = spawnLimitedServer(socketPath);
    t.after(() => child.kill());
    let exited: number | null | undefined;
    child.once("exit", (code) => (exited = code));
    let output = "";
    child.stdout.setEncoding("utf8").on("data", (text: string) => (output += text));
    await eventually(() => output.includes("listening"), "the limited service listens");
    const held = (): number => {
      try {
        return readdirSync(`/proc/${child.pid}/fd`).length;
      } catch {
        return 0; // gone
      }
    };
    const sockets = Array.from({ length: 80 }, () => unixFds.connect(socketPath));
    await eventually(() => /listening socket failed/.test(output), "the service runs out of fds");
    // The connections are held while the listener retries (each retry out of fds is logged), then dropped.
    await eventually(
      () => (output.match(/listening socket failed/g) ?? []).length >= 5,
      "the listener retries while out of fds",
    );
    for (const socket of sockets) socket.destroy();
    await eventually(() => exited !== undefined || held() < 40, "the service let go of the connections");
    assert.equal(exited, undefined, "the service is still running");
    const client = await SocketConnection.connect(address, { fdPassing: unixFds });
    t.after(() => client.close());
    assert.deepEqual(await client.call("org.example.fds.Count", {}), { count: 0, texts: [] });
  });
});
