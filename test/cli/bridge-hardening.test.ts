import assert from "node:assert/strict";
import http from "node:http";
import net from "node:net";
import { after, before, describe, test, type TestContext } from "node:test";
import { HttpConnection, type ServiceInterface } from "@varlink-ts/runtime";
import { startBridge, type BridgeProcess } from "../helpers/bridge.js";
import {
  clientFrame,
  closePayload,
  handshake,
  opcodes,
  openRawWebSocket,
  upgradeRequest,
} from "../helpers/raw-websocket.js";
import { eventually, startServer, type TestServer } from "../helpers/runtime.js";

// The HTTP bridge under hostile and slow clients: bodies it must refuse with the right status,
// WebSocket handshakes and close codes as RFC 6455 has them, clients that send slowly, and
// clients that read slowly, which must slow the service down rather than grow the bridge.

const description = `interface org.example.hardening
method Echo(value: any) -> (value: any)
# Streams \`count\` replies of \`size\` bytes as fast as they are taken.
method Flood(count: int, size: int) -> (data: string)
# Sends one reply, then waits until Release.
method Hold() -> (step: int)
method Release() -> ()
`;

interface Probe {
  /** Bytes of Flood replies the service has produced so far. */
  produced: number;
  release: () => void;
}

function hardeningService(probe: Probe): ServiceInterface {
  let released = Promise.resolve();
  return {
    name: "org.example.hardening",
    description,
    methods: {
      Echo: (p: { value: unknown }) => ({ value: p.value }),
      Flood: async function* (p: { count: number; size: number }) {
        const data = "x".repeat(p.size);
        for (let i = 0; i < p.count; i++) {
          probe.produced += p.size;
          yield { data };
        }
      },
      Hold: async function* () {
        released = new Promise((resolve) => (probe.release = resolve));
        yield { step: 1 };
        await released;
        yield { step: 2 };
      },
      Release: () => probe.release(),
    },
  };
}

const nestedText = (levels: number): string => "[".repeat(levels) + "]".repeat(levels);

describe("the HTTP bridge under hostile and slow clients", () => {
  const probe: Probe = { produced: 0, release: () => {} };
  let service: TestServer;
  let bridge: BridgeProcess;
  before(async () => {
    service = await startServer([hardeningService(probe)]);
    bridge = await startBridge([
      "--service",
      `test=${service.address}`,
      "--header-timeout",
      "1",
      "--body-timeout",
      "2",
    ]);
  });
  after(async () => {
    await bridge.stop();
    await service.server.close({ timeout: 0 });
  });

  const call = (method: string, body: string): Promise<Response> =>
    fetch(`${bridge.url}/call/org.example.hardening.${method}`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body,
    });

  test("a body nested 100,000 deep is the client's fault: 400, and the service is never contacted", async () => {
    const before = service.server.connectionCount;
    const response = await call("Echo", `{"value":${nestedText(100_000)}}`);
    assert.equal(response.status, 400);
    assert.match(((await response.json()) as { message: string }).message, /nests deeper than 511 levels/);
    assert.equal(service.server.connectionCount, before);
    assert.deepEqual(await (await call("Echo", '{"value":1}')).json(), { value: 1 });
  });

  test("a chunked body over --max-body gets 413, not a reset", async () => {
    const status = await new Promise<number>((resolve, reject) => {
      const request = http.request(
        `${bridge.url}/call/org.example.hardening.Echo`,
        { method: "POST", headers: { "Content-Type": "application/json" } },
        (response) => {
          resolve(response.statusCode ?? 0);
          response.resume();
          request.destroy();
        },
      );
      request.on("error", reject);
      // Keeps sending until the answer comes: 64 KiB at a time, far past the 1 MiB limit.
      const chunk = Buffer.alloc(64 * 1024, 0x20);
      const more = (): void => {
        while (!request.destroyed && request.write(chunk));
        if (!request.destroyed) request.once("drain", more);
      };
      request.write('{"value":"');
      more();
    });
    assert.equal(status, 413);
  });

  /**
   * Sends `start`, then a byte of `drip` every 50 ms, until the bridge closes the connection;
   * returns what it answered and how long that took.
   */
  async function trickle(
    t: TestContext,
    start: string,
    drip: string,
    timeout: number,
  ): Promise<{ answer: string; ms: number }> {
    const socket = net.connect(bridge.port, "127.0.0.1");
    t.after(() => socket.destroy());
    let answer = "";
    let closed = false;
    socket.setEncoding("latin1").on("data", (text: string) => (answer += text));
    socket.on("close", () => (closed = true)).on("error", () => {});
    const started = Date.now();
    socket.write(start);
    let sent = 0;
    const timer = setInterval(() => socket.write(drip[sent++ % drip.length]!), 50);
    t.after(() => clearInterval(timer));
    await eventually(() => closed, "the bridge closes the connection", timeout);
    return { answer, ms: Date.now() - started };
  }

  test("headers trickled byte by byte are cut at --header-timeout with 408", async (t) => {
    const head = `POST /call/org.example.hardening.Echo HTTP/1.1\r\nHost: 127.0.0.1:${bridge.port}\r\nX-Slow: ${"y".repeat(1000)}\r\n\r\n`;
    const { answer, ms } = await trickle(t, "", head, 5000);
    assert.ok(ms < 3000, `closed after ${ms} ms`);
    assert.match(answer, /^HTTP\/1\.1 408/);
  });

  test("a body trickled forever is cut at --body-timeout with 408", async (t) => {
    const head = `POST /call/org.example.hardening.Echo HTTP/1.1\r\nHost: 127.0.0.1:${bridge.port}\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n{"value":"`;
    const { answer, ms } = await trickle(t, head, "x", 6000);
    assert.ok(ms < 4000, `closed after ${ms} ms`);
    assert.match(answer, /^HTTP\/1\.1 408/);
  });

  test("a stream's record arrives as soon as its LF does, before the next is sent", async (t) => {
    const client = new HttpConnection(bridge.url);
    t.after(() => client.close());
    const stream = client.more("org.example.hardening.Hold");
    assert.deepEqual((await stream.next()).value, { step: 1 });
    await client.call("org.example.hardening.Release");
    assert.deepEqual((await stream.next()).value, { step: 2 });
    assert.equal((await stream.next()).done, true);
  });

  describe("WebSocket handshakes RFC 6455 §4.2.1 refuses get 400", () => {
    const cases: Array<[string, Parameters<typeof upgradeRequest>[2]]> = [
      ["POST", { method: "POST" }],
      ["HTTP/1.0", { version: "1.0" }],
      ["a key of 15 bytes", { headers: { "Sec-WebSocket-Key": Buffer.alloc(15, 1).toString("base64") } }],
      ["a key of 17 bytes", { headers: { "Sec-WebSocket-Key": Buffer.alloc(17, 1).toString("base64") } }],
      ["a key that is not base64", { headers: { "Sec-WebSocket-Key": "not base64 at all, no!!" } }],
      ["no key", { headers: { "Sec-WebSocket-Key": undefined } }],
    ];
    for (const [what, overrides] of cases) {
      test(what, async (t) => {
        const { status, socket } = await handshake(
          bridge.port,
          upgradeRequest(bridge.port, "/ws/services/test", overrides),
        );
        t.after(() => socket.destroy());
        assert.equal(status, 400);
      });
    }
    test("another version gets 426 naming version 13", async (t) => {
      const { status, head, socket } = await handshake(
        bridge.port,
        upgradeRequest(bridge.port, "/ws/services/test", { headers: { "Sec-WebSocket-Version": "8" } }),
      );
      t.after(() => socket.destroy());
      assert.equal(status, 426);
      assert.match(head, /^Sec-WebSocket-Version: 13\r$/m);
    });
  });

  describe("WebSocket close codes (RFC 6455 §7.4)", () => {
    for (const code of [0, 999, 1004, 1005, 1006, 1015, 1016, 2999, 5000, 65535]) {
      test(`an invalid code ${code} is answered with 1002`, async (t) => {
        const socket = await openRawWebSocket(bridge.port, "/ws/services/test");
        t.after(() => socket.socket.destroy());
        socket.send(clientFrame(opcodes.close, closePayload(code)));
        assert.equal(await socket.closeCode(), 1002);
      });
    }
    for (const code of [1000, 1001, 1003, 1011, 3000, 4999]) {
      test(`a valid code ${code} is echoed`, async (t) => {
        const socket = await openRawWebSocket(bridge.port, "/ws/services/test");
        t.after(() => socket.socket.destroy());
        socket.send(clientFrame(opcodes.close, closePayload(code)));
        assert.equal(await socket.closeCode(), code);
      });
    }
    test("a close frame without a code is answered without one", async (t) => {
      const socket = await openRawWebSocket(bridge.port, "/ws/services/test");
      t.after(() => socket.socket.destroy());
      socket.send(clientFrame(opcodes.close));
      assert.equal(await socket.closeCode(), undefined);
      assert.ok(
        socket.frames.some((f) => f.opcode === opcodes.close),
        "a close frame came back",
      );
    });
    test("a one-byte close payload and a reason that is not UTF-8 are errors", async (t) => {
      const short = await openRawWebSocket(bridge.port, "/ws/services/test");
      t.after(() => short.socket.destroy());
      short.send(clientFrame(opcodes.close, Buffer.from([3])));
      assert.equal(await short.closeCode(), 1002);
      const badReason = await openRawWebSocket(bridge.port, "/ws/services/test");
      t.after(() => badReason.socket.destroy());
      badReason.send(clientFrame(opcodes.close, Buffer.concat([closePayload(1000), Buffer.from([0xff, 0xfe])])));
      assert.equal(await badReason.closeCode(), 1007);
    });
  });
});
