import assert from "node:assert/strict";
import net from "node:net";
import { test, type TestContext } from "node:test";
import { SocketConnection, VarlinkError, type ServiceInterface } from "@varlink-ts/runtime";
import { startServer } from "../helpers/runtime.js";

// Replies holding very long strings are encoded a slice at a time straight into bytes (so that a
// 10 MB reply does not cost its size three times over). What the client gets must be exactly what
// JSON.stringify would have written, whatever the strings hold and wherever the slices fall.

/** The length above which strings are encoded in slices (src/runtime/protocol/large-message.ts). */
const slice = 256 * 1024;

const description = `interface org.example.large
method Reply(which: string) -> (value: any)
method Stream(which: string) -> (value: any)
`;

/** Long strings that test each way an escaped slice can go wrong. */
const values: Record<string, () => unknown> = {
  // An emoji (a surrogate pair) starting at the last unit of a slice: split, it would be two escapes.
  "pair at a slice's end": () => "a".repeat(slice - 1) + "😀".repeat(3) + "b".repeat(slice),
  "multi-byte text": () => "é日本語".repeat(slice / 2),
  "what JSON escapes": () => '"\\\n\t\u0000\u001f\u2028'.repeat(slice / 3),
  // JSON.stringify writes a lone surrogate as an escape; so must every slice.
  "lone surrogates": () => "\ud800x\udc00".repeat(slice / 2),
  "several long strings among short ones, nested": () => ({
    a: ["x".repeat(slice), 1, null, { b: "y".repeat(slice * 2) }],
    c: "short",
    d: "x".repeat(slice),
  }),
  // A string of the reply's own that looks like the placeholder used for long strings.
  "a string like the placeholder": () => ({ long: "z".repeat(slice), fake: "\u0000vlts-long-string:0" }),
};

function service(): ServiceInterface {
  return {
    name: "org.example.large",
    description,
    methods: {
      Reply: ({ which }: { which: string }) => ({ value: values[which]!() }),
      Stream: function* ({ which }: { which: string }) {
        yield { value: values[which]!() };
        return { value: "last" };
      },
    },
  };
}

/** Calls `method` on a raw socket and resolves with every byte of its replies, up to the last NUL of `replies` messages. */
function rawReplies(socketPath: string, call: object, replies: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(socketPath);
    const chunks: Buffer[] = [];
    let nuls = 0;
    socket.on("error", reject);
    socket.on("data", (chunk: Buffer) => {
      chunks.push(chunk);
      for (const byte of chunk) if (byte === 0) nuls++;
      if (nuls === replies) {
        socket.destroy();
        resolve(Buffer.concat(chunks));
      }
    });
    socket.write(`${JSON.stringify(call)}\0`);
  });
}

async function serve(t: TestContext, maxMessageSize?: number): Promise<{ path: string; address: string }> {
  const running = await startServer([service()], maxMessageSize === undefined ? {} : { maxMessageSize });
  t.after(() => running.server.close({ timeout: 0 }));
  return running;
}

for (const which of Object.keys(values)) {
  test(`a reply with long strings is sent byte for byte as JSON.stringify writes it: ${which}`, async (t) => {
    const { path } = await serve(t);
    const bytes = await rawReplies(path, { method: "org.example.large.Reply", parameters: { which } }, 1);
    assert.ok(bytes.equals(Buffer.from(`${JSON.stringify({ parameters: { value: values[which]!() } })}\0`)));
  });
}

test("a streamed reply with a long string carries its continues flag, byte for byte", async (t) => {
  const { path } = await serve(t);
  const which = "pair at a slice's end";
  const bytes = await rawReplies(path, { method: "org.example.large.Stream", parameters: { which }, more: true }, 2);
  const expected = `${JSON.stringify({ parameters: { value: values[which]!() }, continues: true })}\0${JSON.stringify({ parameters: { value: "last" } })}\0`;
  assert.ok(bytes.equals(Buffer.from(expected)));
});

test("a reply with a long string over the size limit is refused with its size in bytes, not in characters", async (t) => {
  const { address } = await serve(t, 512 * 1024);
  const client = await SocketConnection.connect(address);
  t.after(() => client.close());
  const error = await client.call("org.example.large.Reply", { which: "multi-byte text" }).then(
    () => assert.fail("expected ReplyTooLarge"),
    (e: unknown) => e,
  );
  assert.ok(error instanceof VarlinkError && error.errorName === "org.varlinkts.ReplyTooLarge", String(error));
  const size = Buffer.byteLength(JSON.stringify({ parameters: { value: values["multi-byte text"]!() } }));
  assert.deepEqual(error.parameters, { size, limit: 512 * 1024 });
});
