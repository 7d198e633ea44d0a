import assert from "node:assert/strict";
import net from "node:net";
import { test, type TestContext } from "node:test";
import { MessageLimitError, SocketConnection, VarlinkError, type ServiceInterface } from "@varlink-ts/runtime";
import { eventually, RawConnection, socketAddress, startServer, type TestServer } from "../helpers/runtime.js";

// Input that used to kill a server or cost a connection: calls nested deeper than anything
// recurses over, handlers that throw what is not an Error or return what cannot be encoded, and
// replies over the message size limit. Each gets an error reply; the connection serves on.

/** `[[[…]]]` nested `levels` deep, built without recursion. */
function nested(levels: number): unknown {
  let value: unknown = [];
  for (let i = 1; i < levels; i++) value = [value];
  return value;
}

const nestedText = (levels: number): string => "[".repeat(levels) + "]".repeat(levels);

const description = `interface org.example.hostile
method Echo(value: any) -> (value: any)
method Build(levels: int) -> (value: any)
method BuildLater(levels: int) -> (value: any)
method Throw(what: string) -> ()
method ThrowLater(what: string) -> ()
method Circular() -> (value: any)
method Big(bytes: int) -> (data: string)
method Stream(sizes: []int) -> (data: string)
`;

function hostileService(streamsClosed: { count: number }): ServiceInterface {
  const thrown = (what: string): unknown =>
    what === "range" ? new RangeError("Maximum call stack size exceeded") : what === "string" ? "a string" : undefined;
  return {
    name: "org.example.hostile",
    description,
    methods: {
      Echo: (p: { value: unknown }) => ({ value: p.value }),
      Build: (p: { levels: number }) => ({ value: nested(p.levels) }),
      BuildLater: async (p: { levels: number }) => ({ value: nested(p.levels) }),
      Throw: (p: { what: string }) => {
        throw thrown(p.what);
      },
      ThrowLater: async (p: { what: string }) => {
        await new Promise((resolve) => setImmediate(resolve));
        throw thrown(p.what);
      },
      Circular: () => {
        const value: Record<string, unknown> = {};
        value["self"] = value;
        return { value };
      },
      Big: (p: { bytes: number }) => ({ data: "x".repeat(p.bytes) }),
      Stream: async function* (p: { sizes: number[] }) {
        try {
          for (const size of p.sizes) yield { data: "x".repeat(size) };
        } finally {
          streamsClosed.count++;
        }
      },
    },
  };
}

async function setup(
  t: TestContext,
  maxMessageSize = 64 * 1024,
): Promise<{ running: TestServer; client: SocketConnection; streamsClosed: { count: number } }> {
  const streamsClosed = { count: 0 };
  const running = await startServer([hostileService(streamsClosed)], { maxMessageSize });
  t.after(() => running.server.close({ timeout: 0 }));
  const client = await SocketConnection.connect(running.address);
  t.after(() => client.close());
  return { running, client, streamsClosed };
}

/** The call fails with the varlink error `name`; returns its parameters. */
async function rejectsWith(call: Promise<unknown>, name: string): Promise<Record<string, unknown>> {
  const error = await call.then(
    () => assert.fail(`expected ${name}`),
    (e: unknown) => e,
  );
  assert.ok(error instanceof VarlinkError, String(error));
  assert.equal(error.errorName, name);
  return error.parameters;
}

test("a call nested 4,200 deep is answered CallTooDeep, and the connection serves the next call", async (t) => {
  const { running } = await setup(t);
  const raw = await RawConnection.open(running.path);
  t.after(() => raw.socket.destroy());
  raw.send(`{"method":"org.example.hostile.Echo","parameters":{"value":${nestedText(4200)}}}\0`);
  raw.send(`{"method":"org.example.hostile.Echo","parameters":{"value":"next"}}\0`);
  await eventually(() => raw.messages.length === 2, "both replies");
  assert.deepEqual(raw.messages, [
    { error: "org.varlinkts.CallTooDeep", parameters: { limit: 512 } },
    { parameters: { value: "next" } },
  ]);
  assert.equal(raw.closed, false);
});

test("a call nested exactly to the limit is served", async (t) => {
  const { client } = await setup(t);
  // The message's own braces and {"value": …} are two of the 512 levels.
  const reply = await client.call("org.example.hostile.Echo", { value: nested(510) });
  assert.deepEqual(reply, { value: nested(510) });
});

test("a oneway call nested too deep gets no reply and costs nothing", async (t) => {
  const { running } = await setup(t);
  const raw = await RawConnection.open(running.path);
  t.after(() => raw.socket.destroy());
  raw.send(
    `{"method":"org.example.hostile.Echo","oneway":true,"parameters":{"value":${nestedText(20_000)}}}\0{"method":"org.example.hostile.Echo","parameters":{"value":1}}\0`,
  );
  await eventually(() => raw.messages.length === 1, "the second call's reply");
  assert.deepEqual(raw.messages, [{ parameters: { value: 1 } }]);
});

for (const [method, when] of [
  ["Build", "synchronously"],
  ["BuildLater", "asynchronously"],
] as const) {
  test(`a handler that ${when} returns a value nested 10,000 deep gets ReplyTooDeep`, async (t) => {
    const { client } = await setup(t);
    assert.deepEqual(
      await rejectsWith(client.call(`org.example.hostile.${method}`, { levels: 10_000 }), "org.varlinkts.ReplyTooDeep"),
      { limit: 512 },
    );
    assert.deepEqual(
      await rejectsWith(client.call(`org.example.hostile.${method}`, { levels: 600 }), "org.varlinkts.ReplyTooDeep"),
      { limit: 512 },
    );
    assert.deepEqual(await client.call("org.example.hostile.Echo", { value: "alive" }), { value: "alive" });
  });
}

for (const what of ["range", "string", "undefined"]) {
  for (const method of ["Throw", "ThrowLater"]) {
    test(`${method}: a handler that throws ${what === "range" ? "a RangeError" : `a bare ${what}`} is answered InternalError`, async (t) => {
      const { running, client } = await setup(t);
      await rejectsWith(client.call(`org.example.hostile.${method}`, { what }), "org.varlinkts.InternalError");
      assert.ok(running.logged.some((line) => line.includes(`method org.example.hostile.${method} failed`)));
      assert.deepEqual(await client.call("org.example.hostile.Echo", { value: "alive" }), { value: "alive" });
    });
  }
}

test("a reply that is not JSON (a circular value) is answered InternalError", async (t) => {
  const { client } = await setup(t);
  await rejectsWith(client.call("org.example.hostile.Circular"), "org.varlinkts.InternalError");
  assert.deepEqual(await client.call("org.example.hostile.Echo", { value: "alive" }), { value: "alive" });
});

test("a reply over the message size limit is refused with ReplyTooLarge, its size and the limit", async (t) => {
  const { client, running } = await setup(t);
  const pipelined = client.call("org.example.hostile.Echo", { value: "after" });
  const parameters = await rejectsWith(
    client.call("org.example.hostile.Big", { bytes: 100 * 1024 }),
    "org.varlinkts.ReplyTooLarge",
  );
  assert.deepEqual(parameters, { size: 100 * 1024 + '{"parameters":{"data":""}}'.length, limit: 64 * 1024 });
  assert.deepEqual(await pipelined, { value: "after" });
  assert.deepEqual(await client.call("org.example.hostile.Big", { bytes: 1000 }), { data: "x".repeat(1000) });
  assert.ok(running.logged.some((line) => line.includes("over the limit of 65536")));
});

test("a 17 MiB reply under the default 16 MiB limit is refused, and the connection lives on", async (t) => {
  const { client } = await setup(t, 16 * 1024 * 1024);
  const parameters = await rejectsWith(
    client.call("org.example.hostile.Big", { bytes: 17 * 1024 * 1024 }),
    "org.varlinkts.ReplyTooLarge",
  );
  assert.equal(parameters["limit"], 16 * 1024 * 1024);
  assert.deepEqual(await client.call("org.example.hostile.Echo", { value: "alive" }), { value: "alive" });
});

test("a stream ends with ReplyTooLarge at the reply that is too large; the generator is closed", async (t) => {
  const { client, streamsClosed } = await setup(t);
  const received: unknown[] = [];
  const error = await (async () => {
    for await (const reply of client.more("org.example.hostile.Stream", { sizes: [10, 20, 100 * 1024, 30] }))
      received.push(reply);
  })().then(
    () => undefined,
    (e: unknown) => e,
  );
  assert.deepEqual(received, [{ data: "x".repeat(10) }, { data: "x".repeat(20) }]);
  assert.ok(error instanceof VarlinkError && error.errorName === "org.varlinkts.ReplyTooLarge", String(error));
  await eventually(() => streamsClosed.count === 1, "the generator's finally block runs");
  assert.deepEqual(await client.call("org.example.hostile.Echo", { value: "alive" }), { value: "alive" });
});

test("the client refuses to send a call nested too deep: nothing is sent, the connection is unharmed", async (t) => {
  const { client } = await setup(t);
  await assert.rejects(
    client.call("org.example.hostile.Echo", { value: nested(10_000) }),
    (e: Error) => e instanceof MessageLimitError && /nests deeper than 512 levels/.test(e.message),
  );
  await assert.rejects(client.call("org.example.hostile.Echo", { value: nested(600) }), MessageLimitError);
  await assert.rejects(client.oneway("org.example.hostile.Echo", { value: nested(600) }), MessageLimitError);
  assert.deepEqual(await client.call("org.example.hostile.Echo", { value: "alive" }), { value: "alive" });
});

test("the client refuses to send a call over its message size limit", async (t) => {
  const { running } = await setup(t);
  const client = await SocketConnection.connect(running.address, { maxMessageSize: 1000 });
  t.after(() => client.close());
  await assert.rejects(
    client.call("org.example.hostile.Echo", { value: "x".repeat(2000) }),
    (e: Error) => e instanceof MessageLimitError && /over the limit of 1000/.test(e.message),
  );
  assert.deepEqual(await client.call("org.example.hostile.Echo", { value: "alive" }), { value: "alive" });
});

test("a reply nested too deep ends the client's connection with a clear error", async (t) => {
  const { address, path } = socketAddress();
  const server = net.createServer((socket) => {
    socket.once("data", () => socket.write(`{"parameters":{"value":${nestedText(5000)}}}\0`));
  });
  await new Promise<void>((resolve) => server.listen(path, resolve));
  t.after(() => server.close());
  const client = await SocketConnection.connect(address);
  t.after(() => client.close());
  await assert.rejects(
    client.call("org.example.hostile.Echo", {}),
    /protocol error from the service: JSON nested deeper than 512 levels/,
  );
});
