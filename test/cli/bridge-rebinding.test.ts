import assert from "node:assert/strict";
import net from "node:net";
import { after, before, describe, test } from "node:test";
import { startBridge, type BridgeProcess } from "../helpers/bridge.js";
import { cliProcess } from "../helpers/cli.js";
import { socketAddress, startServer, testService, type TestServer } from "../helpers/runtime.js";

// DNS rebinding and cross-origin pages against every route of the HTTP bridge. A page on
// http://evil.example:PORT whose name later resolves to 127.0.0.1 is same-origin with the
// bridge; only the Host it sends gives it away. Each hostile request must be refused with a 4xx
// before the bridged service is touched: the service sits behind a proxy that counts connections.

interface RawResponse {
  status: number;
  text: string;
}

/** One HTTP/1.1 request as written, with whatever headers a hostile client sends. */
function rawRequest(port: number, head: string, body = ""): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const socket = net.createConnection({ port, host: "127.0.0.1" });
    let text = "";
    socket.setEncoding("utf8").on("data", (chunk: string) => {
      text += chunk;
      // A WebSocket that was accepted stays open: its 101 is the answer.
      if (text.startsWith("HTTP/1.1 101")) socket.destroy();
    });
    socket.on("error", reject);
    socket.setTimeout(5000, () => socket.destroy(new Error(`no answer within 5 s to:\n${head}`)));
    socket.on("close", () => resolve({ status: Number(/^HTTP\/1\.[01] (\d{3})/.exec(text)?.[1] ?? 0), text }));
    // Written, not ended: Node closes a half-closed connection before an async reply goes out.
    socket.write(`${head}\r\nConnection: close\r\n${body === "" ? "" : `Content-Length: ${Buffer.byteLength(body)}\r\n`}\r\n${body}`);
  });
}

/** Every route, as a request line plus the headers the route needs. */
const routes: Array<{ name: string; head: (headers: string) => string; body?: string }> = [
  { name: "GET /health", head: (h) => `GET /varlink/health HTTP/1.1\r\n${h}` },
  { name: "GET /services", head: (h) => `GET /varlink/services HTTP/1.1\r\n${h}` },
  { name: "GET /services/NAME", head: (h) => `GET /varlink/services/test HTTP/1.1\r\n${h}` },
  { name: "GET /services/NAME/INTERFACE", head: (h) => `GET /varlink/services/test/org.example.test HTTP/1.1\r\n${h}` },
  { name: "POST /call/METHOD", head: (h) => `POST /varlink/call/org.example.test.Echo HTTP/1.1\r\n${h}\r\nContent-Type: application/json`, body: '{"value": 1}' },
  { name: "OPTIONS /call/METHOD (preflight)", head: (h) => `OPTIONS /varlink/call/org.example.test.Echo HTTP/1.1\r\n${h}\r\nAccess-Control-Request-Method: POST` },
  { name: "POST /call/METHOD?oneway=true", head: (h) => `POST /varlink/call/org.example.test.Notify?oneway=true HTTP/1.1\r\n${h}\r\nContent-Type: application/json`, body: '{"text": "x"}' },
  { name: "GET an unknown route", head: (h) => `GET /varlink/nothing HTTP/1.1\r\n${h}` },
  {
    name: "WebSocket /ws/services/NAME",
    head: (h) =>
      `GET /varlink/ws/services/test HTTP/1.1\r\n${h}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: AAAAAAAAAAAAAAAAAAAAAA==\r\nSec-WebSocket-Version: 13`,
  },
];

/** Forwards to the service and counts every connection made to it. */
async function countingProxy(target: string): Promise<{ address: string; connections: () => number; close: () => Promise<void> }> {
  const { address, path } = socketAddress("proxy.sock");
  let count = 0;
  const server = net.createServer((client) => {
    count++;
    const upstream = net.createConnection({ path: target.slice("unix:".length) });
    client.pipe(upstream).pipe(client);
    client.on("error", () => upstream.destroy());
    upstream.on("error", () => client.destroy());
  });
  await new Promise<void>((resolve) => server.listen(path, resolve));
  return { address, connections: () => count, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

describe("the HTTP bridge refuses DNS rebinding and foreign pages on every route", () => {
  let service: TestServer;
  let proxy: Awaited<ReturnType<typeof countingProxy>>;
  let bridge: BridgeProcess;
  before(async () => {
    service = await startServer([testService()]);
    proxy = await countingProxy(service.address);
    bridge = await startBridge([
      "--service", `test=${proxy.address}`,
      "--base", "/varlink",
      "--allow-host", "bridge.test",
      "--allow-origin", "http://app.example",
    ]);
  });
  after(async () => {
    await bridge.stop();
    await proxy.close();
    await service.server.close();
  });

  const hostileHosts: Array<[string, (port: number) => string]> = [
    ["the attacker's name with the bridge's port", (p) => `evil.example:${p}`],
    ["the attacker's name without a port", () => "evil.example"],
    ["a name that starts with localhost", (p) => `localhost.evil.example:${p}`],
    ["a name that starts with 127.0.0.1", (p) => `127.0.0.1.evil.example:${p}`],
    ["a wildcard-DNS name for 127.0.0.1", (p) => `127.0.0.1.nip.io:${p}`],
    ["a name that ends with an allowed name", (p) => `evilbridge.test:${p}`],
    ["a subdomain of an allowed name", (p) => `x.bridge.test:${p}`],
    ["a subdomain of localhost", (p) => `evil.localhost:${p}`],
    ["localhost as a fully qualified name", (p) => `localhost.:${p}`],
    ["the attacker's name in capitals", (p) => `EVIL.EXAMPLE:${p}`],
    ["0.0.0.0", (p) => `0.0.0.0:${p}`],
    ["a private address", (p) => `192.168.1.1:${p}`],
    ["an IPv4-mapped IPv6 loopback", (p) => `[::ffff:127.0.0.1]:${p}`],
    ["userinfo before a loopback host", (p) => `evil.example@127.0.0.1:${p}`],
    ["userinfo after a loopback host", (p) => `127.0.0.1:${p}@evil.example`],
    ["a backslash", (p) => `127.0.0.1:${p}\\evil.example`],
    ["a fragment", (p) => `127.0.0.1:${p}#evil.example`],
    ["a path", (p) => `127.0.0.1:${p}/evil.example`],
    ["an empty Host", () => ""],
    ["a port that is not a number", () => "127.0.0.1:http"],
  ];

  for (const [what, hostOf] of hostileHosts) {
    test(`Host: ${what}, with a matching Origin, is refused on every route`, async () => {
      const host = hostOf(bridge.port);
      for (const route of routes) {
        const response = await rawRequest(bridge.port, route.head(`Host: ${host}\r\nOrigin: http://${host}`), route.body);
        assert.ok(response.status >= 400 && response.status < 500, `${route.name} answered ${response.status} for Host '${host}':\n${response.text}`);
      }
      assert.equal(proxy.connections(), 0, "the service was never reached");
    });
  }

  test("a request without a Host header is refused on every route", async () => {
    for (const route of routes) {
      const response = await rawRequest(bridge.port, route.head("X-No-Host: 1").replace(" HTTP/1.1", " HTTP/1.0"), route.body);
      assert.equal(response.status, 400, `${route.name}:\n${response.text}`);
    }
    assert.equal(proxy.connections(), 0);
  });

  test("a request with two Host headers is refused on every route", async () => {
    for (const route of routes) {
      const response = await rawRequest(bridge.port, route.head(`Host: 127.0.0.1:${bridge.port}\r\nHost: evil.example:${bridge.port}`), route.body);
      assert.equal(response.status, 400, `${route.name}:\n${response.text}`);
    }
    assert.equal(proxy.connections(), 0);
  });

  test("an absolute-form target naming another host is refused on every route", async () => {
    for (const route of routes) {
      const head = route.head(`Host: 127.0.0.1:${bridge.port}`).replace(/^(\w+) \//, `$1 http://evil.example:${bridge.port}/`);
      const response = await rawRequest(bridge.port, head, route.body);
      assert.equal(response.status, 400, `${route.name}:\n${response.text}`);
    }
    assert.equal(proxy.connections(), 0);
  });

  const hostileOrigins: Array<[string, (port: number) => string]> = [
    ["another site", () => "http://evil.example"],
    ["another site on the bridge's port", (p) => `http://evil.example:${p}`],
    ["another local web app (another port)", (p) => `http://127.0.0.1:${p + 1}`],
    ["the bridge's address over https", (p) => `https://127.0.0.1:${p}`],
    ["localhost, which is another origin than 127.0.0.1", (p) => `http://localhost:${p}`],
    ["a sandboxed frame or a file (null)", () => "null"],
    ["an allowed origin with a path", () => "http://app.example/"],
    ["an allowed origin's subdomain", () => "http://x.app.example"],
  ];

  for (const [what, originOf] of hostileOrigins) {
    test(`Origin: ${what}, with a loopback Host, is refused on every route`, async () => {
      for (const route of routes) {
        const response = await rawRequest(bridge.port, route.head(`Host: 127.0.0.1:${bridge.port}\r\nOrigin: ${originOf(bridge.port)}`), route.body);
        assert.equal(response.status, 403, `${route.name}:\n${response.text}`);
      }
      assert.equal(proxy.connections(), 0);
    });
  }

  // Last, since they reach the service: what must still work.
  const friendlyHosts: Array<[string, (port: number) => string]> = [
    ["127.0.0.1", (p) => `127.0.0.1:${p}`],
    ["localhost", (p) => `localhost:${p}`],
    ["LOCALHOST in capitals", (p) => `LOCALHOST:${p}`],
    ["::1", (p) => `[::1]:${p}`],
    ["another address in 127/8", (p) => `127.9.8.7:${p}`],
    ["127.0.0.1 written as a number, as browsers canonicalize it", (p) => `2130706433:${p}`],
    ["a name given with --allow-host", (p) => `bridge.test:${p}`],
  ];

  for (const [what, hostOf] of friendlyHosts) {
    test(`Host: ${what} is served, with its own Origin too`, async () => {
      const host = hostOf(bridge.port);
      const plain = await rawRequest(bridge.port, `POST /varlink/call/org.example.test.Echo HTTP/1.1\r\nHost: ${host}\r\nContent-Type: application/json`, '{"value": 2}');
      assert.equal(plain.status, 200, plain.text);
      assert.match(plain.text, /\{"value":2\}$/);
      const canonical = new URL(`http://${host}/`).host;
      const sameOrigin = await rawRequest(bridge.port, `GET /varlink/services HTTP/1.1\r\nHost: ${host}\r\nOrigin: http://${canonical}`);
      assert.equal(sameOrigin.status, 200, sameOrigin.text);
    });
  }

  test("an origin given with --allow-origin may call across origins", async () => {
    const response = await rawRequest(bridge.port, `POST /varlink/call/org.example.test.Echo HTTP/1.1\r\nHost: 127.0.0.1:${bridge.port}\r\nOrigin: http://app.example\r\nContent-Type: application/json`, '{"value": 3}');
    assert.equal(response.status, 200, response.text);
    assert.match(response.text, /^Access-Control-Allow-Origin: http:\/\/app\.example\r$/m);
  });

  test("a WebSocket with a loopback Host and no Origin is accepted", async () => {
    const response = await rawRequest(bridge.port, routes.at(-1)!.head(`Host: 127.0.0.1:${bridge.port}`));
    assert.equal(response.status, 101, response.text);
  });
});

describe("bridge host settings", () => {
  test("--allow-remote without --allow-host is a usage error", async () => {
    const run = await cliProcess(["bridge", "http", "--listen", "0.0.0.0:0", "--allow-remote", "--service", "x=unix:/nowhere"]);
    assert.equal(run.code, 2, run.stderr);
    assert.match(run.stderr, /--allow-host/);
  });

  test("--allow-host refuses what is not a host name", async () => {
    for (const bad of ["bridge.test:8080", "http://bridge.test", "a b", "evil@bridge.test"]) {
      const run = await cliProcess(["bridge", "http", "--listen", "127.0.0.1:0", "--allow-host", bad, "--service", "x=unix:/nowhere"]);
      assert.equal(run.code, 2, `${bad}: ${run.stderr}`);
      assert.match(run.stderr, /--allow-host takes a host name/);
    }
  });
});
