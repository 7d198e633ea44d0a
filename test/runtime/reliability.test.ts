import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { SocketConnection } from "@varlink-ts/runtime";
import {
  eventually,
  RawConnection,
  startServer,
  testService,
  type TestServer,
  type TestState,
} from "../helpers/runtime.js";

// A server survives any client: each bad client below is cut off or served, and afterwards a
// fresh client's call still succeeds, no connection is left open and no handler keeps running.

describe("a server under bad clients", () => {
  const state: TestState = { started: 0, running: 0, notified: [] };
  let running: TestServer;

  before(async () => {
    running = await startServer([testService(state)], { maxMessageSize: 64 * 1024 });
  });
  after(async () => {
    await running.server.close({ timeout: 1000 });
  });

  async function stillServes(): Promise<void> {
    await eventually(
      () => running.server.connectionCount === 0 && state.running === 0,
      "no connection or handler is left",
    );
    const client = await SocketConnection.connect(running.address);
    assert.deepEqual(await client.call("org.example.test.Echo", { value: "fresh" }), { value: "fresh" });
    await client.close();
    await eventually(() => running.server.connectionCount === 0, "the fresh client is gone");
  }

  const violations: Array<[string, string | Buffer]> = [
    ["invalid JSON", "{not json}\0"],
    ["a string instead of an object", '"hello"\0'],
    ["an array", "[1,2,3]\0"],
    ["a number", "42\0"],
    ["a call without 'method'", '{"parameters":{}}\0'],
    ["'parameters' that is not an object", '{"method":"org.example.test.Echo","parameters":[1]}\0'],
    ["an unknown unprefixed header key", '{"method":"org.example.test.Echo","surprise":true}\0'],
    ["several flags at once", '{"method":"org.example.test.Count","parameters":{"n":1},"more":true,"oneway":true}\0'],
    ["a flag that is not a boolean", '{"method":"org.example.test.Count","more":"yes"}\0'],
    ["invalid UTF-8", Buffer.from([0x7b, 0xff, 0xfe, 0x7d, 0x00])],
  ];
  for (const [what, bytes] of violations) {
    test(`${what}: the connection is closed without a reply`, async () => {
      const raw = await RawConnection.open(running.path);
      raw.send(bytes);
      await raw.waitClosed();
      assert.deepEqual(raw.messages, []);
      await stillServes();
    });
  }

  test("calls answered before a violation are kept; nothing after it runs", async () => {
    const raw = await RawConnection.open(running.path);
    raw.send(
      '{"method":"org.example.test.Echo","parameters":{"value":1}}\0{"method":"org.example.test.Notify","parameters":{"text":"ok"},"oneway":true}\0garbage\0{"method":"org.example.test.Notify","parameters":{"text":"never"}}\0',
    );
    await raw.waitClosed();
    assert.deepEqual(raw.messages, [{ parameters: { value: 1 } }]);
    assert.deepEqual(state.notified.slice(-1), ["ok"]);
    assert.ok(!state.notified.includes("never"));
    await stillServes();
  });

  test("a message over the size limit closes the connection before it ends", async () => {
    const raw = await RawConnection.open(running.path);
    raw.send(`{"method":"org.example.test.Echo","parameters":{"value":"${"x".repeat(100 * 1024)}`);
    await raw.waitClosed();
    assert.ok(
      running.logged.some((m) => m.includes("exceeds the limit of 65536 bytes")),
      running.logged.join("\n"),
    );
    await stillServes();
  });

  test("a call split into single bytes is answered", async () => {
    const raw = await RawConnection.open(running.path);
    for (const byte of Buffer.from('{"method":"org.example.test.Echo","parameters":{"value":"slow"}}\0')) {
      raw.send(Buffer.from([byte]));
      await new Promise((resolve) => setImmediate(resolve));
    }
    await eventually(() => raw.messages.length === 1, "the reply");
    assert.deepEqual(raw.messages, [{ parameters: { value: "slow" } }]);
    raw.socket.destroy();
    await stillServes();
  });

  test("a client that disconnects mid-stream stops its handler", async () => {
    const raw = await RawConnection.open(running.path);
    raw.send('{"method":"org.example.test.Forever","more":true}\0');
    await eventually(() => raw.messages.length >= 3, "a few replies");
    raw.socket.destroy();
    await stillServes();
  });

  test("a client that disconnects during a slow call aborts it", async () => {
    const raw = await RawConnection.open(running.path);
    raw.send('{"method":"org.example.test.Slow","parameters":{"ms":60000}}\0');
    await eventually(() => state.running === 1, "the slow call runs");
    raw.socket.destroy();
    await stillServes();
  });

  test("a client that never reads gets backpressure, not unbounded buffering", async () => {
    const raw = await RawConnection.open(running.path);
    raw.socket.pause();
    const before = state.started;
    const call = '{"method":"org.example.test.Big","parameters":{"bytes":60000}}\0';
    raw.send(call.repeat(2000)); // 120 MB of replies if all were answered
    await new Promise((resolve) => setTimeout(resolve, 500));
    const answered = state.started - before;
    assert.ok(answered < 200, `${answered} calls were answered into a socket nobody reads`);
    // Others are served meanwhile.
    const client = await SocketConnection.connect(running.address);
    assert.deepEqual(await client.call("org.example.test.Echo", { value: "meanwhile" }), { value: "meanwhile" });
    await client.close();
    raw.socket.destroy();
    await stillServes();
  });

  test("many connections opened and dropped at once leave nothing behind", async () => {
    const raws = await Promise.all(Array.from({ length: 50 }, () => RawConnection.open(running.path)));
    raws.forEach((raw, i) => {
      raw.send(i % 2 === 0 ? '{"method":"org.example.test.Slow","parameters":{"ms":50}}\0' : "{}\0");
    });
    for (const raw of raws) raw.socket.destroy();
    await stillServes();
  });
});
