import assert from "node:assert/strict";
import net from "node:net";
import { after, before, describe, test, type TestContext } from "node:test";
import type { ServiceInterface } from "@varlink-ts/runtime";
import { residentBytes, startBridge, type BridgeProcess } from "../helpers/bridge.js";
import { clientFrame, opcodes, openRawWebSocket, type ServerFrame } from "../helpers/raw-websocket.js";
import { eventually, startServer, type TestServer } from "../helpers/runtime.js";

// A client that reads slowly must slow the service down, not grow the bridge. The service offers
// 100 MiB (1,600 replies of 64 KiB) through each route; the client reads 10 KB/s for 4 s (all of
// 100 MiB at that rate would take three hours). Meanwhile the bridge's resident memory must grow
// by less than 32 MB and the service must be held back; then the client reads the rest at full
// speed and must get every byte. A client that pings without reading pongs is held back the same
// way.

const replies = 1600;
const replySize = 64 * 1024;
const total = replies * replySize;
const maxGrowth = 32 * 1024 * 1024;

const description = `interface org.example.flood
method Flood(count: int, size: int) -> (data: string)
`;

function floodService(progress: { produced: number }): ServiceInterface {
  return {
    name: "org.example.flood",
    description,
    methods: {
      Flood: async function* (p: { count: number; size: number }) {
        const data = "x".repeat(p.size);
        for (let i = 0; i < p.count; i++) {
          progress.produced += p.size;
          yield { data };
        }
      },
    },
  };
}

/** 'x' bytes in `chunk`: the replies' payload, since nothing else on the wire holds an 'x'. */
function payloadBytes(chunk: Buffer): number {
  let count = 0;
  for (let at = chunk.indexOf(0x78); at !== -1; at = chunk.indexOf(0x78, at + 1)) count++;
  return count;
}

/**
 * Reads `socket` at about 10 KB/s for `ms` milliseconds, sampling the bridge's memory; returns
 * the largest growth seen over `baseline`.
 */
async function readSlowly(
  socket: net.Socket,
  consume: (chunk: Buffer) => void,
  pid: number,
  baseline: number,
  ms: number,
): Promise<{ growth: number; read: number }> {
  let growth = 0;
  let read = 0;
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    const chunk = socket.read(1024) as Buffer | null;
    if (chunk !== null) {
      read += chunk.length;
      consume(chunk);
    }
    growth = Math.max(growth, residentBytes(pid) - baseline);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return { growth, read };
}

/** Reads the rest at full speed until `done()`. */
async function readTheRest(socket: net.Socket, consume: (chunk: Buffer) => void, done: () => boolean): Promise<void> {
  for (let chunk = socket.read() as Buffer | null; chunk !== null; chunk = socket.read() as Buffer | null)
    consume(chunk);
  socket.on("data", consume).resume();
  await eventually(done, "the whole stream arrives", 60_000);
}

interface Stream {
  socket: net.Socket;
  /** Takes what was read from the socket. */
  consume(chunk: Buffer): void;
  /** Payload bytes received so far. */
  received(): number;
}

async function httpStream(port: number): Promise<Stream> {
  const socket = net.connect(port, "127.0.0.1");
  await new Promise<void>((resolve, reject) => socket.once("connect", resolve).once("error", reject));
  socket.pause();
  const body = JSON.stringify({ count: replies, size: replySize });
  socket.write(
    `POST /call/org.example.flood.Flood?more=true HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n${body}`,
  );
  let received = 0;
  return { socket, consume: (chunk) => (received += payloadBytes(chunk)), received: () => received };
}

async function websocketStream(port: number): Promise<Stream> {
  let received = 0;
  const tunnel = await openRawWebSocket(port, "/ws/services/flood", {
    manual: true,
    onFrame: (frame: ServerFrame) => (received += payloadBytes(frame.payload)),
  });
  tunnel.send(clientFrame(opcodes.text, Buffer.from(call)));
  return { socket: tunnel.socket, consume: (chunk) => tunnel.feed(chunk), received: () => received };
}

const routes = { http: httpStream, websocket: websocketStream };

const call = JSON.stringify({
  method: "org.example.flood.Flood",
  parameters: { count: replies, size: replySize },
  more: true,
});

describe("the bridge holds back a service for a client that reads slowly", () => {
  const progress = { produced: 0 };
  let service: TestServer;
  let bridge: BridgeProcess;
  before(async () => {
    service = await startServer([floodService(progress)]);
    bridge = await startBridge(["--service", `flood=${service.address}`]);
    // Once at full speed through each route, so that the bridge's heap has grown to what such a
    // stream needs before its memory is measured.
    for (const open of Object.values(routes)) {
      const { socket, consume, received } = await open(bridge.port);
      await readTheRest(socket, consume, () => received() === total);
      socket.destroy();
    }
  });
  after(async () => {
    await bridge.stop();
    await service.server.close({ timeout: 0 });
  });

  async function measure(route: keyof typeof routes, t: TestContext): Promise<void> {
    const baseline = residentBytes(bridge.pid);
    const producedBefore = progress.produced;
    const stream = await routes[route](bridge.port);
    t.after(() => stream.socket.destroy());
    const { growth, read } = await readSlowly(
      stream.socket,
      (chunk) => stream.consume(chunk),
      bridge.pid,
      baseline,
      4000,
    );
    const offered = progress.produced - producedBefore;
    const mb = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
    t.diagnostic(
      `${route}: while the client read ${(read / 1024).toFixed(0)} KB slowly, the service produced ${mb(offered)} of ${mb(total)} and the bridge's RSS grew ${mb(growth)}`,
    );
    assert.ok(growth < maxGrowth, `the bridge grew by ${mb(growth)}`);
    assert.ok(offered < 32 * 1024 * 1024, `the service was not held back: it produced ${mb(offered)}`);
    await readTheRest(
      stream.socket,
      (chunk) => stream.consume(chunk),
      () => stream.received() === total,
    );
  }

  test("simple mode, ?more=true: memory stays flat and the service waits; every byte arrives afterwards", (t) =>
    measure("http", t));

  test("WebSocket tunnel: memory stays flat and the service waits; every byte arrives afterwards", (t) =>
    measure("websocket", t));

  test("WebSocket pings whose pongs are never read: pongs are not queued, memory stays flat", async (t) => {
    let pongs = 0;
    const tunnel = await openRawWebSocket(bridge.port, "/ws/services/flood", {
      manual: true,
      onFrame: (frame) => (pongs += frame.opcode === opcodes.pong ? 1 : 0),
    });
    t.after(() => tunnel.socket.destroy());
    const baseline = residentBytes(bridge.pid);
    const ping = clientFrame(opcodes.ping, Buffer.alloc(125, 0x70));
    const batch = Buffer.concat(Array.from({ length: 512 }, () => ping));
    let pings = 0;
    let largest = 0;
    // 100 MiB of pings, as fast as the bridge takes them, none of the pongs read meanwhile.
    while (pings * ping.length < 100 * 1024 * 1024) {
      if (tunnel.socket.writableNeedDrain) await new Promise((resolve) => tunnel.socket.once("drain", resolve));
      tunnel.socket.write(batch);
      pings += 512;
      largest = Math.max(largest, residentBytes(bridge.pid) - baseline);
    }
    // Now read what was answered: only the pongs there was room for, not one per ping.
    for (
      let chunk = tunnel.socket.read() as Buffer | null;
      chunk !== null;
      chunk = tunnel.socket.read() as Buffer | null
    )
      tunnel.feed(chunk);
    t.diagnostic(
      `pings: ${pings} sent (100 MiB), ${pongs} pongs waiting when read; the bridge's RSS grew ${(largest / 1024 / 1024).toFixed(1)} MB`,
    );
    assert.ok(largest < maxGrowth, `the bridge grew by ${largest} bytes`);
    assert.ok(pongs < pings / 4, `${pongs} pongs for ${pings} pings: pongs were queued`);
  });
});
