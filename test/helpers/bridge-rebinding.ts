import assert from "node:assert/strict";
import net from "node:net";
import { after, before, describe, test } from "node:test";
import { startBridge, type BridgeProcess } from "./bridge.js";
import { socketAddress } from "./runtime.js";

// DNS rebinding and cross-origin pages against every route of the HTTP bridge. A page on
// http://evil.example:PORT whose name later resolves to 127.0.0.1 is same-origin with the
// bridge; only the Host it sends gives it away.

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
    socket.on("close", () =>
      resolve({
        status: Number(/^HTTP\/1\.[01] (\d{3})/.exec(text)?.[1] ?? 0),
        text,
      }),
    );
    // Written, not ended: Node closes a half-closed connection before an async reply goes out.
    socket.write(
      `${head}\r\nConnection: close\r\n${body === "" ? "" : `Content-Length: ${Buffer.byteLength(body)}\r\n`}\r\n${body}`,
    );
  });
}

/** A bridged service to attack: what it answers, and a call and a oneway call it takes. */
export interface RebindingTarget {
  /** Starts the service: its address and how to stop it, or why it cannot run here. */
  start(): Promise<{ address: string; stop(): Promise<void> } | { unavailable: string }>;
  interfaceName: string;
  call: { method: string; body: string; reply: RegExp };
  oneway: { method: string; body: string };
}

interface Route {
  name: string;
  head: (headers: string) => string;
  body?: string;
}

/** Every route, as a request line plus the headers the route needs. */
function routesFor(target: RebindingTarget): Route[] {
  const { interfaceName, call, oneway } = target;
  return [
    {
      name: "GET /health",
      head: (h) => `GET /varlink/health HTTP/1.1\r\n${h}`,
    },
    {
      name: "GET /services",
      head: (h) => `GET /varlink/services HTTP/1.1\r\n${h}`,
    },
    {
      name: "GET /services/NAME",
      head: (h) => `GET /varlink/services/target HTTP/1.1\r\n${h}`,
    },
    {
      name: "GET /services/NAME/INTERFACE",
      head: (h) => `GET /varlink/services/target/${interfaceName} HTTP/1.1\r\n${h}`,
    },
    {
      name: "POST /call/METHOD",
      head: (h) => `POST /varlink/call/${call.method} HTTP/1.1\r\n${h}\r\nContent-Type: application/json`,
      body: call.body,
    },
    {
      name: "POST /call/SERVICE/METHOD",
      head: (h) => `POST /varlink/call/target/${call.method} HTTP/1.1\r\n${h}\r\nContent-Type: application/json`,
      body: call.body,
    },
    {
      name: "POST /call/METHOD?more=true",
      head: (h) => `POST /varlink/call/${call.method}?more=true HTTP/1.1\r\n${h}\r\nContent-Type: application/json`,
      body: call.body,
    },
    {
      name: "OPTIONS /call/METHOD (preflight)",
      head: (h) => `OPTIONS /varlink/call/${call.method} HTTP/1.1\r\n${h}\r\nAccess-Control-Request-Method: POST`,
    },
    {
      name: "POST /call/METHOD?oneway=true",
      head: (h) => `POST /varlink/call/${oneway.method}?oneway=true HTTP/1.1\r\n${h}\r\nContent-Type: application/json`,
      body: oneway.body,
    },
    {
      name: "GET / (the explorer page)",
      head: (h) => `GET /varlink/ HTTP/1.1\r\n${h}`,
    },
    {
      name: "GET /explorer/services",
      head: (h) => `GET /varlink/explorer/services HTTP/1.1\r\n${h}`,
    },
    {
      name: "GET /openapi/SERVICE/INTERFACE",
      head: (h) => `GET /varlink/openapi/target/${interfaceName} HTTP/1.1\r\n${h}`,
    },
    {
      name: "GET an unknown route",
      head: (h) => `GET /varlink/nothing HTTP/1.1\r\n${h}`,
    },
    {
      name: "WebSocket /ws/services/NAME",
      head: (h) =>
        `GET /varlink/ws/services/target HTTP/1.1\r\n${h}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: AAAAAAAAAAAAAAAAAAAAAA==\r\nSec-WebSocket-Version: 13`,
    },
  ];
}

/** Forwards to the service and counts every connection made to it. */
async function countingProxy(target: string): Promise<{
  address: string;
  connections: () => number;
  close: () => Promise<void>;
}> {
  const { address, path } = socketAddress("proxy.sock");
  let count = 0;
  const server = net.createServer((client) => {
    count++;
    const upstream = net.createConnection({
      path: target.slice("unix:".length),
    });
    client.pipe(upstream).pipe(client);
    client.on("error", () => upstream.destroy());
    upstream.on("error", () => client.destroy());
  });
  await new Promise<void>((resolve) => server.listen(path, resolve));
  return {
    address,
    connections: () => count,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/**
 * The rebinding and foreign-page tests against `target` behind the bridge. Each hostile request
 * must be refused with a 4xx before the service is touched: a proxy in front of it counts
 * connections.
 */
export function describeRebinding(title: string, target: RebindingTarget): void {
  describe(title, () => {
    const routes = routesFor(target);
    let service: { address: string; stop(): Promise<void> } | undefined;
    let unavailable: string | undefined;
    let proxy: Awaited<ReturnType<typeof countingProxy>>;
    let bridge: BridgeProcess;
    before(async () => {
      const started = await target.start();
      if ("unavailable" in started) {
        unavailable = started.unavailable;
        return;
      }
      service = started;
      proxy = await countingProxy(service.address);
      bridge = await startBridge([
        "--ui",
        "--service",
        `target=${proxy.address}`,
        "--base",
        "/varlink",
        "--allow-host",
        "bridge.test",
        "--allow-origin",
        "http://app.example",
      ]);
    });
    after(async () => {
      await bridge?.stop();
      await proxy?.close();
      await service?.stop();
    });
    /** Runs `body` unless the service cannot run here. */
    const live = (name: string, body: () => Promise<void>): void => {
      test(name, async (t) => {
        if (unavailable !== undefined) return t.skip(unavailable);
        await body();
      });
    };

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
      live(`Host: ${what}, with a matching Origin, is refused on every route`, async () => {
        const host = hostOf(bridge.port);
        for (const route of routes) {
          const response = await rawRequest(
            bridge.port,
            route.head(`Host: ${host}\r\nOrigin: http://${host}`),
            route.body,
          );
          assert.ok(
            response.status >= 400 && response.status < 500,
            `${route.name} answered ${response.status} for Host '${host}':\n${response.text}`,
          );
        }
        assert.equal(proxy.connections(), 0, "the service was never reached");
      });
    }

    live("a request without a Host header is refused on every route", async () => {
      for (const route of routes) {
        const response = await rawRequest(
          bridge.port,
          route.head("X-No-Host: 1").replace(" HTTP/1.1", " HTTP/1.0"),
          route.body,
        );
        assert.equal(response.status, 400, `${route.name}:\n${response.text}`);
      }
      assert.equal(proxy.connections(), 0);
    });

    live("a request with two Host headers is refused on every route", async () => {
      for (const route of routes) {
        const response = await rawRequest(
          bridge.port,
          route.head(`Host: 127.0.0.1:${bridge.port}\r\nHost: evil.example:${bridge.port}`),
          route.body,
        );
        assert.equal(response.status, 400, `${route.name}:\n${response.text}`);
      }
      assert.equal(proxy.connections(), 0);
    });

    live("an absolute-form target naming another host is refused on every route", async () => {
      for (const route of routes) {
        const head = route
          .head(`Host: 127.0.0.1:${bridge.port}`)
          .replace(/^(\w+) \//, `$1 http://evil.example:${bridge.port}/`);
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
      live(`Origin: ${what}, with a loopback Host, is refused on every route`, async () => {
        for (const route of routes) {
          const response = await rawRequest(
            bridge.port,
            route.head(`Host: 127.0.0.1:${bridge.port}\r\nOrigin: ${originOf(bridge.port)}`),
            route.body,
          );
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
      live(`Host: ${what} is served, with its own Origin too`, async () => {
        const host = hostOf(bridge.port);
        const plain = await rawRequest(
          bridge.port,
          `POST /varlink/call/target/${target.call.method} HTTP/1.1\r\nHost: ${host}\r\nContent-Type: application/json`,
          target.call.body,
        );
        assert.equal(plain.status, 200, plain.text);
        assert.match(plain.text, target.call.reply);
        const canonical = new URL(`http://${host}/`).host;
        const sameOrigin = await rawRequest(
          bridge.port,
          `GET /varlink/services HTTP/1.1\r\nHost: ${host}\r\nOrigin: http://${canonical}`,
        );
        assert.equal(sameOrigin.status, 200, sameOrigin.text);
      });
    }

    live("an origin given with --allow-origin may call across origins", async () => {
      const response = await rawRequest(
        bridge.port,
        `POST /varlink/call/target/${target.call.method} HTTP/1.1\r\nHost: 127.0.0.1:${bridge.port}\r\nOrigin: http://app.example\r\nContent-Type: application/json`,
        target.call.body,
      );
      assert.equal(response.status, 200, response.text);
      assert.match(response.text, /^Access-Control-Allow-Origin: http:\/\/app\.example\r$/m);
    });

    live("a WebSocket with a loopback Host and no Origin is accepted", async () => {
      const response = await rawRequest(bridge.port, routes.at(-1)!.head(`Host: 127.0.0.1:${bridge.port}`));
      assert.equal(response.status, 101, response.text);
    });
  });
}
