import assert from "node:assert/strict";
import { test } from "node:test";
import {
  CallAbortedError,
  ConnectionError,
  MessageConnection,
  SocketConnection,
  type MessageChannel,
} from "@varlink-ts/runtime";
import { noFdLeak, openFdCount } from "../helpers/fds.js";
import { eventually, startServer, testService, type TestState } from "../helpers/runtime.js";

// A call that times out closes its connection, as sd-varlink's does: replies come in order, so
// the calls after it would wait behind a reply that did not come, and time out in turn.

const timedOut = (error: unknown): boolean =>
  error instanceof CallAbortedError && /no reply within 100 ms/.test(error.message);
const closedForIt = (error: unknown): boolean =>
  error instanceof ConnectionError && /a call got no reply within 100 ms/.test(error.message);

test("after a call timed out, the next call on its connection fails at once with a ConnectionError saying why", async (t) => {
  const before = openFdCount();
  const state: TestState = { started: 0, running: 0, notified: [] };
  const { server, address } = await startServer([testService(state)]);
  t.after(() => server.close({ timeout: 0 }));
  const client = await SocketConnection.connect(address);
  t.after(() => client.close());
  await assert.rejects(client.call("org.example.test.Slow", { ms: 60_000 }, { timeout: 100 }), timedOut);
  await assert.rejects(client.call("org.example.test.Echo", { value: 1 }, { timeout: 1000 }), closedForIt);
  // The service sees the client leave, and stops the call that timed out.
  await eventually(() => state.running === 0 && server.connectionCount === 0, "the service stops the abandoned call");
  await client.close();
  await server.close();
  await noFdLeak(before);
});

test("calls pipelined behind a call that timed out fail with a ConnectionError, not a timeout each", async (t) => {
  const { server, address } = await startServer([testService()]);
  t.after(() => server.close({ timeout: 0 }));
  const client = await SocketConnection.connect(address);
  t.after(() => client.close());
  const slow = client.call("org.example.test.Slow", { ms: 60_000 }, { timeout: 100 });
  const behind = client.call("org.example.test.Echo", { value: 1 }, { timeout: 2000 });
  await assert.rejects(slow, timedOut);
  await assert.rejects(behind, closedForIt);
});

test("an aborted call (its signal, not a timeout) leaves the connection open; the next call gets its reply", async (t) => {
  const { server, address } = await startServer([testService()]);
  t.after(() => server.close({ timeout: 0 }));
  const client = await SocketConnection.connect(address);
  t.after(() => client.close());
  const controller = new AbortController();
  const aborted = client.call("org.example.test.Slow", { ms: 200 }, { signal: controller.signal });
  controller.abort();
  await assert.rejects(aborted, CallAbortedError);
  assert.deepEqual(await client.call("org.example.test.Echo", { value: 2 }), { value: 2 });
});

test("over a message channel (a WebSocket), a call that timed out closes the channel too", async () => {
  let closed = false;
  const channel: MessageChannel = {
    send: () => {},
    close: () => (closed = true),
    listen: () => {},
  };
  const client = new MessageConnection(channel);
  const later = client.call("org.example.test.Echo", { value: 1 });
  await assert.rejects(client.call("org.example.test.Slow", { ms: 60_000 }, { timeout: 100 }), timedOut);
  assert.equal(closed, true);
  await assert.rejects(client.call("org.example.test.Echo", { value: 1 }), closedForIt);
  // A call made before the one that timed out had no reply either: it fails with the channel.
  await assert.rejects(later, closedForIt);
});
