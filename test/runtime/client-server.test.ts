import assert from "node:assert/strict";
import { describe, test } from "node:test";
import {
  CallAbortedError,
  ConnectionError,
  ExpectedMore,
  ExpectedUpgrade,
  InterfaceNotFound,
  InternalError,
  InvalidParameter,
  MethodNotFound,
  MethodNotImplemented,
  SocketConnection,
  VarlinkError,
} from "@varlink-ts/runtime";
import { eventually, startServer, testInterfaceText, testService, type TestState } from "../helpers/runtime.js";

async function setup(options: Parameters<typeof startServer>[1] = {}) {
  const state: TestState = { started: 0, running: 0, notified: [] };
  const running = await startServer([testService(state)], {
    vendor: "varlink-ts tests",
    product: "runtime",
    version: "1",
    url: "https://example.org",
    ...options,
  });
  const client = await SocketConnection.connect(running.address);
  return { ...running, state, client };
}

describe("client and server", () => {
  test("org.varlink.service describes the service and its interfaces", async () => {
    const { server, client } = await setup();
    assert.deepEqual(await client.call("org.varlink.service.GetInfo"), {
      vendor: "varlink-ts tests",
      product: "runtime",
      version: "1",
      url: "https://example.org",
      interfaces: ["org.varlink.service", "org.example.test"],
    });
    assert.deepEqual(
      await client.call("org.varlink.service.GetInterfaceDescription", { interface: "org.example.test" }),
      {
        description: testInterfaceText,
      },
    );
    await assert.rejects(
      client.call("org.varlink.service.GetInterfaceDescription", { interface: "no.such" }),
      InterfaceNotFound,
    );
    await client.close();
    await server.close();
  });

  test("standard errors are their own classes", async () => {
    const { server, client } = await setup();
    await assert.rejects(
      client.call("org.other.Thing"),
      (e: unknown) => e instanceof InterfaceNotFound && e.parameters.interface === "org.other",
    );
    await assert.rejects(
      client.call("org.example.test.Nope"),
      (e: unknown) => e instanceof MethodNotFound && e.parameters.method === "org.example.test.Nope",
    );
    await assert.rejects(client.call("org.example.test.Unimplemented"), MethodNotImplemented);
    await assert.rejects(client.call("org.example.test.Forever"), ExpectedMore);
    await assert.rejects(client.call("org.example.test.Shout"), ExpectedUpgrade);
    await assert.rejects(
      client.call("org.example.test.Big", { bytes: "many" }),
      (e: unknown) => e instanceof InvalidParameter && e.parameters.parameter === "bytes",
    );
    await client.close();
    await server.close();
  });

  test("an error is named after itself, not 'VarlinkError'", async (t) => {
    const { server, client } = await setup();
    t.after(() => server.close());
    t.after(() => client.close());
    await assert.rejects(
      client.call("org.example.test.Nope"),
      (e: unknown) => e instanceof Error && e.name === "MethodNotFound",
    );
    assert.equal(new VarlinkError("io.systemd.UserDatabase.NoRecordFound").name, "NoRecordFound");
  });

  test("org.varlink.service refuses parameters it does not declare, as a generated interface does", async (t) => {
    const { server, client } = await setup();
    t.after(() => server.close());
    t.after(() => client.close());
    await assert.rejects(
      client.call("org.varlink.service.GetInterfaceDescription", { interface: "org.example.test", extra: 1 }),
      (e: unknown) => {
        return e instanceof InvalidParameter && e.parameters.parameter === "extra";
      },
    );
    await assert.rejects(
      client.call("org.varlink.service.GetInfo", { verbose: true }),
      (e: unknown) => e instanceof InvalidParameter && e.parameters.parameter === "verbose",
    );
    await assert.rejects(
      client.call("org.varlink.service.GetInterfaceDescription", {}),
      (e: unknown) => e instanceof InvalidParameter && e.parameters.parameter === "interface",
    );
  });

  test("a handler's unexpected exception becomes an error reply, is logged, and the server goes on", async () => {
    const { server, client, logged } = await setup();
    await assert.rejects(
      client.call("org.example.test.Fail", { kind: "crash" }),
      (e: unknown) => e instanceof InternalError,
    );
    assert.ok(
      logged.some((m) => m.includes("org.example.test.Fail failed")),
      logged.join("\n"),
    );
    assert.deepEqual(await client.call("org.example.test.Echo", { value: 1 }), { value: 1 });
    await client.close();
    await server.close();
  });

  test("an error reply of any interface is a VarlinkError named after the error", async () => {
    const { server, address } = await setup();
    class Custom extends VarlinkError {
      constructor(readonly reason: string) {
        super("org.example.custom.Custom", { reason });
      }
    }
    server.addInterface({
      name: "org.example.custom",
      description: "interface org.example.custom\nmethod Raise() -> ()\nerror Custom (reason: string)\n",
      methods: {
        Raise: () => {
          throw new Custom("because");
        },
      },
    });
    const client = await SocketConnection.connect(address);
    await assert.rejects(client.call("org.example.custom.Raise"), (e: unknown) => {
      assert.ok(e instanceof VarlinkError);
      assert.equal(e.name, "Custom");
      assert.equal(e.errorName, "org.example.custom.Custom");
      assert.deepEqual(e.parameters, { reason: "because" });
      return true;
    });
    await client.close();
    await server.close();
  });

  test("pipelined calls are answered in order, whatever each one takes", async () => {
    const { server, client } = await setup();
    const calls = Array.from({ length: 40 }, (_, i) =>
      i % 3 === 0
        ? client.call("org.example.test.Slow", { ms: 40 - i }).then(() => i)
        : client.call("org.example.test.Echo", { value: i }).then((r) => r["value"] as number),
    );
    const order: number[] = [];
    await Promise.all(calls.map((c) => c.then((v) => order.push(v))));
    assert.deepEqual(
      order,
      Array.from({ length: 40 }, (_, i) => i),
    );
    await client.close();
    await server.close();
  });

  test("more: every reply, the last one ends the stream, and the connection is usable after", async () => {
    const { server, client } = await setup();
    const seen: number[] = [];
    for await (const reply of client.more("org.example.test.Count", { n: 5 })) seen.push(reply["i"] as number);
    assert.deepEqual(seen, [0, 1, 2, 3, 4]);
    const none: unknown[] = [];
    for await (const reply of client.more("org.example.test.Count", { n: 0 })) none.push(reply);
    assert.deepEqual(none, [{}], "a stream without values still ends with one reply");
    assert.deepEqual(
      await client.call("org.example.test.Count", { n: 3 }),
      { i: 0 },
      "without 'more' only the first value is sent",
    );
    await client.close();
    await server.close();
  });

  test("the server sets 'continues' on every reply but the last", async () => {
    const { server, path } = await setup();
    const { RawConnection } = await import("../helpers/runtime.js");
    const raw = await RawConnection.open(path);
    raw.send('{"method":"org.example.test.Count","parameters":{"n":3},"more":true}\0');
    await eventually(() => raw.messages.length === 3, "three replies");
    assert.deepEqual(raw.messages, [
      { parameters: { i: 0 }, continues: true },
      { parameters: { i: 1 }, continues: true },
      { parameters: { i: 2 } },
    ]);
    raw.socket.destroy();
    await server.close();
  });

  test("a handler that fails after its replies sends every one of them, then the error", async (t) => {
    const { server, path } = await setup();
    t.after(() => server.close());
    const { RawConnection } = await import("../helpers/runtime.js");
    const raw = await RawConnection.open(path);
    t.after(() => raw.socket.destroy());
    raw.send('{"method":"org.example.test.Count","parameters":{"n":-2},"more":true}\0');
    await eventually(() => raw.messages.length === 3, "two replies and the error");
    assert.deepEqual(raw.messages, [
      { parameters: { i: 0 }, continues: true },
      { parameters: { i: 1 }, continues: true },
      { error: "org.example.test.Custom", parameters: { reason: "negative count" } },
    ]);
  });

  test("a stream that waits for events sends each reply at once", async () => {
    const { server, client } = await setup();
    const started = Date.now();
    const iterator = client.more("org.example.test.Forever");
    const first = await iterator.next();
    assert.deepEqual(first.value, { i: 0 });
    assert.ok(Date.now() - started < 1000);
    await iterator.return?.();
    await server.close();
  });

  test("breaking out of a more loop closes the connection and stops the handler", async () => {
    const { server, client, state } = await setup();
    let count = 0;
    for await (const _ of client.more("org.example.test.Forever")) if (++count === 3) break;
    await client.closed;
    await eventually(() => state.running === 0 && server.connectionCount === 0, "the handler and connection end");
    await server.close();
  });

  test("oneway calls get no reply and run", async () => {
    const { server, client, state, path } = await setup();
    await client.oneway("org.example.test.Notify", { text: "hi" });
    assert.deepEqual(await client.call("org.example.test.Echo", { value: "after" }), { value: "after" });
    assert.deepEqual(state.notified, ["hi"]);
    const { RawConnection } = await import("../helpers/runtime.js");
    const raw = await RawConnection.open(path);
    raw.send(
      '{"method":"org.example.test.Nope","oneway":true}\0{"method":"org.example.test.Echo","parameters":{"value":2}}\0',
    );
    await eventually(() => raw.messages.length >= 1, "a reply");
    assert.deepEqual(raw.messages, [{ parameters: { value: 2 } }], "not even an error for a oneway call");
    raw.socket.destroy();
    await client.close();
    await server.close();
  });

  test("upgrade hands over the raw connection, with bytes sent right after the call", async () => {
    const { server, client, path } = await setup();
    const { parameters, stream } = await client.upgrade("org.example.test.Shout");
    assert.deepEqual(parameters, {});
    const echoed = new Promise<string>((resolve) => stream.once("data", (d: Buffer) => resolve(d.toString())));
    stream.resume();
    stream.write("hello");
    assert.equal(await echoed, "HELLO");
    await assert.rejects(client.call("org.example.test.Echo", { value: 1 }), ConnectionError);
    stream.destroy();
    const { RawConnection } = await import("../helpers/runtime.js");
    const raw = await RawConnection.open(path);
    let text = "";
    raw.socket.on("data", (d: Buffer) => (text += d.toString()));
    raw.send('{"method":"org.example.test.Shout","upgrade":true}\0early bytes');
    await eventually(() => text.includes("EARLY BYTES"), "the early bytes come back upgraded");
    raw.socket.destroy();
    await server.close();
  });

  // A timeout closes the connection (test/runtime/client-timeout.test.ts).
  test("abort rejects a call; the connection stays usable", async () => {
    const { server, client } = await setup();
    const controller = new AbortController();
    const slow = client.call("org.example.test.Slow", { ms: 300 }, { signal: controller.signal });
    controller.abort();
    await assert.rejects(slow, CallAbortedError);
    await assert.rejects(client.call("org.example.test.Echo", {}, { signal: AbortSignal.abort() }), CallAbortedError);
    assert.deepEqual(await client.call("org.example.test.Echo", { value: "still here" }), { value: "still here" });
    await client.close();
    await server.close();
  });

  test("a lost connection rejects every pending call and no call hangs", async () => {
    const { server, client, state } = await setup();
    const outcome = (call: Promise<unknown>): Promise<unknown> =>
      call.then(
        () => "resolved",
        (error: unknown) => error,
      );
    const pending = [
      outcome(client.call("org.example.test.Slow", { ms: 10_000 })),
      outcome(client.call("org.example.test.Echo", { value: 1 })),
    ];
    const stream = client.more("org.example.test.Forever");
    await eventually(() => state.running === 1, "the slow call runs");
    await server.close({ timeout: 0 });
    await eventually(() => state.running === 0, "the running handler is told to stop");
    for (const call of pending) assert.ok((await call) instanceof ConnectionError);
    await assert.rejects(async () => {
      for (;;)
        await stream.next().then((r) => {
          if (r.done) throw new Error("ended without error");
        });
    }, ConnectionError);
    await assert.rejects(client.call("org.example.test.Echo", {}), ConnectionError);
  });

  test("a reply over the client's size limit closes the connection with a clear error", async () => {
    const { server, address } = await setup();
    const client = await SocketConnection.connect(address, { maxMessageSize: 1000 });
    await assert.rejects(client.call("org.example.test.Big", { bytes: 5000 }), /exceeds the limit of 1000 bytes/);
    await server.close();
  });

  test("a closing server refuses new connections", async () => {
    const { server, client, address } = await setup();
    await client.close();
    await server.close();
    await assert.rejects(SocketConnection.connect(address), ConnectionError);
  });

  test("exit on idle closes the server once its last client is gone", async () => {
    let idle = false;
    const { server, client } = await setup({ exitOnIdle: 50, onIdle: () => (idle = true) });
    await new Promise((resolve) => setTimeout(resolve, 120));
    assert.equal(idle, false, "not idle while a client is connected");
    await client.close();
    await eventually(() => idle, "the server closes itself");
    await server.close();
  });
});
