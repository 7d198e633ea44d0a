import assert from "node:assert/strict";
import net from "node:net";
import { test, type TestContext } from "node:test";
import { eventually, startServer, testService } from "../helpers/runtime.js";

// UAPI.20: after an upgrade call, neither side reads the stream as varlink. Bytes a client sends
// in the same write as the call belong to the upgraded protocol, NULs and all; if the call is
// refused instead, they are read as the calls they are.

/** A raw client that keeps every byte it receives, and writes `bytes` in one write. */
async function sendOnce(t: TestContext, bytes: string): Promise<{ received: () => string }> {
  const { server, path } = await startServer([testService()]);
  t.after(() => server.close({ timeout: 0 }));
  const socket = net.createConnection({ path });
  t.after(() => socket.destroy());
  let received = "";
  socket.setEncoding("utf8").on("data", (text: string) => (received += text));
  await new Promise((resolve) => socket.once("connect", resolve));
  socket.write(bytes);
  return { received: () => received };
}

test("bytes in the same write as an upgrade call reach the upgraded stream, NULs included", async (t) => {
  const client = await sendOnce(t, '{"method":"org.example.test.Shout","upgrade":true}\0hello\0world\0');
  await eventually(() => client.received().includes("WORLD"), "the upgraded handler echoes both words");
  assert.equal(client.received(), '{"parameters":{}}\0HELLO\0WORLD\0');
});

test("calls after a refused upgrade call in the same write are answered in order", async (t) => {
  const client = await sendOnce(
    t,
    '{"method":"org.example.test.Nope","upgrade":true}\0{"method":"org.example.test.Echo","parameters":{"value":1}}\0',
  );
  await eventually(() => client.received().split("\0").length === 3, "two replies");
  assert.deepEqual(
    client
      .received()
      .split("\0")
      .slice(0, 2)
      .map((reply) => JSON.parse(reply) as unknown),
    [
      { error: "org.varlink.service.MethodNotFound", parameters: { method: "org.example.test.Nope" } },
      { parameters: { value: 1 } },
    ],
  );
});
