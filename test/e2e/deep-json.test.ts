import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import net from "node:net";
import { after, before, describe, test } from "node:test";
import fc from "fast-check";
import { SocketConnection, VarlinkError } from "@varlink-ts/runtime";
import { maxNestingDepth } from "@varlink-ts/runtime/wire";
import * as typeforms from "../generated/org.example.typeforms.js";
import { startBridge, type BridgeProcess } from "../helpers/bridge.js";
import { binPath } from "../helpers/cli.js";
import { clientFrame, opcodes, openRawWebSocket, type RawWebSocket } from "../helpers/raw-websocket.js";
import {
  eventually,
  RawConnection,
  socketAddress,
  startServer,
  testService,
  type TestServer,
} from "../helpers/runtime.js";

// Property: JSON nested to any depth, up to ten times the limit, is answered everywhere it can
// enter: a server, a client, the HTTP bridge's two routes, the stdio bridge and the validators.
// Nothing throws out of the runtime, every call gets an answer (the value, or a refusal that
// names the limit), and the next call is served.

/** A random nesting: its depth, the containers it is made of, and a leaf. */
const nestingArbitrary = fc.record({
  // Often right at the limit, where an off-by-one would show.
  depth: fc.oneof(
    fc.integer({ min: maxNestingDepth - 5, max: maxNestingDepth + 2 }),
    fc.integer({ min: 1, max: 10 * maxNestingDepth }),
  ),
  kinds: fc.array(fc.constantFrom("array", "object"), { minLength: 1, maxLength: 6 }),
  keys: fc.array(fc.string({ maxLength: 4 }), { minLength: 1, maxLength: 4 }),
  leaf: fc.jsonValue({ maxDepth: 1 }),
  sibling: fc.option(fc.jsonValue({ maxDepth: 1 }), { nil: undefined }),
});
type Nesting = typeof nestingArbitrary extends fc.Arbitrary<infer T> ? T : never;

/** The nesting as JSON text, built without recursion: `depth` containers around the leaf. */
function nestedText({ depth, kinds, keys, leaf, sibling }: Nesting): string {
  let open = "";
  let close = "";
  const extra = sibling === undefined ? "" : JSON.stringify(sibling);
  for (let level = 0; level < depth; level++) {
    const kind = kinds[level % kinds.length];
    if (kind === "array") {
      open += extra === "" ? "[" : `[${extra},`;
      close = `]${close}`;
    } else {
      const key = JSON.stringify(keys[level % keys.length]);
      open += extra === "" ? `{${key}:` : `{"sibling":${extra},${key}:`;
      close = `}${close}`;
    }
  }
  return open + JSON.stringify(leaf) + close;
}

/** How deep JSON text nests (a leaf or sibling that is itself an array adds a level). */
function depthOf(text: string): number {
  let depth = 0;
  let deepest = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"') for (i++; text[i] !== '"'; i++) i += text[i] === "\\" ? 1 : 0;
    else if (c === "[" || c === "{") deepest = Math.max(deepest, ++depth);
    else if (c === "]" || c === "}") depth--;
  }
  return deepest;
}

/** Whether a call to Echo with this `value` fits: the message's braces and `parameters` add two levels. */
const fitsInCall = (nesting: Nesting): boolean => depthOf(nestedText(nesting)) + 2 <= maxNestingDepth;

/** Stop at the first failure: shrinking through subprocesses would take minutes. */
const settings = { endOnFailure: true } as const;

describe("JSON nested to random depths", () => {
  let service: TestServer;
  let bridge: BridgeProcess;
  before(async () => {
    service = await startServer([testService()]);
    // Bodies up to the varlink message limit, so that HTTP is judged on nesting alone, as the other
    // routes are: a sibling beside each of 5,000 levels makes a body over the default 1 MiB (413).
    bridge = await startBridge(["--service", `test=${service.address}`, "--max-body", String(16 * 1024 * 1024)]);
  });
  after(async () => {
    await bridge.stop();
    await service.server.close({ timeout: 0 });
  });

  test("a server answers each call, with the value or CallTooDeep, and serves the next", async (t) => {
    const raw = await RawConnection.open(service.path);
    t.after(() => raw.socket.destroy());
    await fc.assert(
      fc.asyncProperty(nestingArbitrary, async (nesting) => {
        const before = raw.messages.length;
        raw.send(
          `{"method":"org.example.test.Echo","parameters":{"value":${nestedText(nesting)}}}\0{"method":"org.example.test.Echo","parameters":{"value":"next"}}\0`,
        );
        await eventually(() => raw.messages.length === before + 2, "both replies");
        const [reply, next] = raw.messages.slice(before) as Array<{ error?: string; parameters: { value?: unknown } }>;
        if (fitsInCall(nesting))
          assert.equal(JSON.stringify(reply!.parameters.value), JSON.stringify(JSON.parse(nestedText(nesting))));
        else assert.deepEqual(reply, { error: "org.varlinkts.CallTooDeep", parameters: { limit: maxNestingDepth } });
        assert.deepEqual(next, { parameters: { value: "next" } });
      }),
      { ...settings, numRuns: 60 },
    );
    assert.equal(raw.closed, false);
  });

  test("a client takes each reply or fails the connection with a clear error, never throws", async (t) => {
    const { address, path } = socketAddress();
    let reply = "";
    const fake = net.createServer((socket) =>
      socket.on("data", () => socket.write(`{"parameters":{"value":${reply}}}\0`)),
    );
    await new Promise<void>((resolve) => fake.listen(path, resolve));
    t.after(() => fake.close());
    await fc.assert(
      fc.asyncProperty(nestingArbitrary, async (nesting) => {
        reply = nestedText(nesting);
        const client = await SocketConnection.connect(address);
        try {
          const outcome = await client.call("org.example.test.Echo").then(
            (value) => ({ value }),
            (error: unknown) => ({ error }),
          );
          if (fitsInCall(nesting)) assert.ok("value" in outcome, String("error" in outcome ? outcome.error : ""));
          else assert.match(String("error" in outcome ? outcome.error : ""), /JSON nested deeper than 512 levels/);
        } finally {
          await client.close();
        }
      }),
      { ...settings, numRuns: 60 },
    );
  });

  test("the HTTP bridge answers 200 with the value or 400, and serves the next call", async () => {
    const post = (body: string): Promise<Response> =>
      fetch(`${bridge.url}/call/org.example.test.Echo`, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body,
      });
    await fc.assert(
      fc.asyncProperty(nestingArbitrary, async (nesting) => {
        const response = await post(`{"value":${nestedText(nesting)}}`);
        const body = await response.text();
        // The body is the parameters: one level above the message's own braces.
        assert.equal(response.status, fitsInCall(nesting) ? 200 : 400, body.slice(0, 200));
        assert.deepEqual(await (await post('{"value":"next"}')).json(), { value: "next" });
      }),
      { ...settings, numRuns: 30 },
    );
  });

  test("the bridge's WebSocket tunnel answers each call and serves the next", async (t) => {
    const replies: unknown[] = [];
    const tunnel: RawWebSocket = await openRawWebSocket(bridge.port, "/ws/services/test", {
      onFrame: (frame) => frame.opcode === opcodes.text && replies.push(JSON.parse(frame.payload.toString("utf8"))),
    });
    t.after(() => tunnel.socket.destroy());
    await fc.assert(
      fc.asyncProperty(nestingArbitrary, async (nesting) => {
        const before = replies.length;
        tunnel.send(
          clientFrame(
            opcodes.text,
            Buffer.from(`{"method":"org.example.test.Echo","parameters":{"value":${nestedText(nesting)}}}`),
          ),
        );
        tunnel.send(
          clientFrame(opcodes.text, Buffer.from('{"method":"org.example.test.Echo","parameters":{"value":"next"}}')),
        );
        await eventually(() => replies.length === before + 2, "both replies");
        const [reply, next] = replies.slice(before) as Array<{ error?: string }>;
        assert.equal(reply!.error, fitsInCall(nesting) ? undefined : "org.varlinkts.CallTooDeep");
        assert.deepEqual(next, { parameters: { value: "next" } });
      }),
      { ...settings, numRuns: 30 },
    );
    assert.equal(tunnel.closed, false);
  });

  test("the stdio bridge answers each call and serves the next", async (t) => {
    const child = spawn(process.execPath, [binPath, "bridge", "stdio", "--service", `test=${service.address}`], {
      stdio: "pipe",
    });
    t.after(() => child.kill());
    const replies: Array<{ error?: string; parameters?: unknown }> = [];
    let buffer = "";
    child.stdout.setEncoding("utf8").on("data", (text: string) => {
      buffer += text;
      for (let i = buffer.indexOf("\0"); i >= 0; i = buffer.indexOf("\0")) {
        replies.push(JSON.parse(buffer.slice(0, i)) as { error?: string });
        buffer = buffer.slice(i + 1);
      }
    });
    await fc.assert(
      fc.asyncProperty(nestingArbitrary, async (nesting) => {
        const before = replies.length;
        child.stdin.write(
          `{"method":"org.example.test.Echo","parameters":{"value":${nestedText(nesting)}}}\0{"method":"org.example.test.Echo","parameters":{"value":"next"}}\0`,
        );
        await eventually(() => replies.length === before + 2, "both replies");
        assert.equal(replies[before]!.error, fitsInCall(nesting) ? undefined : "org.varlinkts.CallTooDeep");
        assert.deepEqual(replies[before + 1], { parameters: { value: "next" } });
      }),
      { ...settings, numRuns: 30 },
    );
    assert.equal(child.exitCode, null);
  });

  test("validators report values of any depth, never throw", () => {
    fc.assert(
      fc.property(nestingArbitrary, (nesting) => {
        const value = JSON.parse(nestedText(nesting)) as unknown;
        // A recursive type, whose generated check recurses with the data, and `any` inside a struct.
        const tree = { name: "root", children: [value] };
        const anything = {
          matrix: [],
          sparse: [],
          index: {},
          sets: [],
          records: [],
          anything: value,
          deep: { level1: { level2: { level3: { leaf: "x" } } } },
        };
        for (const [schema, input] of [
          [typeforms.TreeSchema, tree],
          [typeforms.NestingSchema, anything],
        ] as const) {
          const result = schema.validate(input);
          assert.equal(typeof result.success, "boolean");
          const standard = schema["~standard"].validate(input);
          assert.ok(!(standard instanceof Promise));
        }
      }),
      { ...settings, numRuns: 200 },
    );
  });

  test("a client refuses to send what it could not: MessageLimitError, and the connection serves on", async (t) => {
    const client = await SocketConnection.connect(service.address);
    t.after(() => client.close());
    await fc.assert(
      fc.asyncProperty(nestingArbitrary, async (nesting) => {
        const value = JSON.parse(nestedText(nesting)) as unknown;
        const outcome = await client.call("org.example.test.Echo", { value }).then(
          () => "answered",
          (error: unknown) => (error instanceof VarlinkError ? error.errorName : (error as Error).name),
        );
        assert.equal(outcome, fitsInCall(nesting) ? "answered" : "MessageLimitError");
        assert.deepEqual(await client.call("org.example.test.Echo", { value: "next" }), { value: "next" });
      }),
      { ...settings, numRuns: 60 },
    );
  });
});
