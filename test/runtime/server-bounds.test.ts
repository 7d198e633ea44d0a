import assert from "node:assert/strict";
import { test } from "node:test";
import { CallTimedOut, SocketConnection, VarlinkError } from "@varlink-ts/runtime";
import { eventually, RawConnection, startServer, testService, type TestState } from "../helpers/runtime.js";

// The bounds a server embedded in a program needs (ServerOptions idleTimeout, maxConnections,
// callTimeout), each tried with a client that misbehaves.

const echo = '{"method":"org.example.test.Echo","parameters":{"value":1}}\0';

test("idleTimeout closes a connection that sends nothing", async (t) => {
  const { server, path } = await startServer([testService()], { idleTimeout: 200 });
  t.after(() => server.close());
  const silent = await RawConnection.open(path);
  t.after(() => silent.socket.destroy());
  await silent.waitClosed(2000);
});

test("idleTimeout closes a client that trickles a message one byte at a time", async (t) => {
  const { server, path } = await startServer([testService()], { idleTimeout: 300 });
  t.after(() => server.close());
  const trickler = await RawConnection.open(path);
  t.after(() => trickler.socket.destroy());
  const started = Date.now();
  for (let i = 0; !trickler.closed && i < echo.length - 1; i++) {
    trickler.send(echo[i]!);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  await trickler.waitClosed(2000);
  assert.ok(Date.now() - started < 2000, "closed about when the timeout passed, not when the message was done");
  assert.deepEqual(trickler.messages, []);
});

test("idleTimeout spares a connection that keeps calling, and one whose call is running", async (t) => {
  const { server, path } = await startServer([testService()], { idleTimeout: 200 });
  t.after(() => server.close());
  const busy = await RawConnection.open(path);
  t.after(() => busy.socket.destroy());
  busy.send('{"method":"org.example.test.Slow","parameters":{"ms":500}}\0');
  for (let i = 0; i < 5; i++) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    busy.send(echo);
  }
  await eventually(() => busy.messages.length === 6, "the slow call and five echoes are answered", 3000);
  assert.equal(busy.closed, false);
});

test("maxConnections refuses one connection more, while the others are served", async (t) => {
  const { server, address, path, logged } = await startServer([testService()], { maxConnections: 2 });
  t.after(() => server.close());
  const first = await SocketConnection.connect(address);
  t.after(() => first.close());
  const second = await SocketConnection.connect(address);
  t.after(() => second.close());
  const extra = await RawConnection.open(path);
  t.after(() => extra.socket.destroy());
  extra.send(echo);
  await extra.waitClosed(2000);
  assert.deepEqual(extra.messages, []);
  assert.deepEqual(await first.call("org.example.test.Echo", { value: 1 }), { value: 1 });
  assert.deepEqual(await second.call("org.example.test.Echo", { value: 2 }), { value: 2 });
  assert.match(logged.join("\n"), /refused a connection: 2 are open/);
});

test("maxConnections takes a new connection once one has closed", async (t) => {
  const { server, address } = await startServer([testService()], { maxConnections: 1 });
  t.after(() => server.close());
  const first = await SocketConnection.connect(address);
  await first.call("org.example.test.Echo", { value: 1 });
  await first.close();
  await eventually(() => server.connectionCount === 0, "the server sees the first connection close");
  const next = await SocketConnection.connect(address);
  t.after(() => next.close());
  assert.deepEqual(await next.call("org.example.test.Echo", { value: 3 }), { value: 3 });
});

test("callTimeout fires the handler's signal and answers CallTimedOut", async (t) => {
  const state: TestState = { started: 0, running: 0, notified: [] };
  const { server, address } = await startServer([testService(state)], { callTimeout: 200 });
  t.after(() => server.close());
  const client = await SocketConnection.connect(address);
  t.after(() => client.close());
  await assert.rejects(client.call("org.example.test.Slow", { ms: 10_000 }), (error: unknown) => {
    assert.ok(error instanceof CallTimedOut);
    assert.deepEqual(error.parameters, { timeout: 200 });
    return true;
  });
  await eventually(() => state.running === 0, "the handler saw its signal and stopped", 2000);
});

test("after a call timed out the connection serves the next call", async (t) => {
  const { server, address } = await startServer([testService()], { callTimeout: 200 });
  t.after(() => server.close());
  const client = await SocketConnection.connect(address);
  t.after(() => client.close());
  await assert.rejects(client.call("org.example.test.Slow", { ms: 10_000 }), VarlinkError);
  assert.deepEqual(await client.call("org.example.test.Echo", { value: "next" }), { value: "next" });
});

test("callTimeout ends a stream that runs too long with CallTimedOut after its replies", async (t) => {
  const { server, address } = await startServer([testService()], { callTimeout: 200 });
  t.after(() => server.close());
  const client = await SocketConnection.connect(address);
  t.after(() => client.close());
  let replies = 0;
  await assert.rejects(
    (async () => {
      for await (const _ of client.more("org.example.test.Forever")) replies++;
    })(),
    (error: unknown) => error instanceof CallTimedOut,
  );
  assert.ok(replies > 0);
});
