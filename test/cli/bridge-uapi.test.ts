import assert from "node:assert/strict";
import net from "node:net";
import { after, before, describe, test } from "node:test";
import { startBridge, type BridgeProcess } from "../helpers/bridge.js";
import { breakingService } from "../helpers/broken-service.js";
import { startServer, testService, type TestServer } from "../helpers/runtime.js";

// UAPI.20's simple HTTP mode, point by point, through the bridge in front of a runtime service
// (its test interface has a method left unimplemented). The same against systemd-userdbd is in
// test/e2e/bridge-userdbd.test.ts.

const post = (url: string, body = "{}", headers: Record<string, string> = {}): Promise<Response> =>
  fetch(url, { method: "POST", headers: { "Content-Type": "application/json", ...headers }, body });

describe("UAPI.20 through the bridge: the status table", () => {
  let service: TestServer;
  let bridge: BridgeProcess;
  before(async () => {
    service = await startServer([testService()]);
    bridge = await startBridge(["--service", `test=${service.address}`]);
  });
  after(async () => {
    await bridge.stop();
    await service.server.close();
  });

  const rows: Array<[string, string, string, number, object]> = [
    ["InvalidParameter", "Big", '{"bytes": "many"}', 400, { parameter: "bytes" }],
    ["ExpectedMore", "Forever", "{}", 400, {}],
    ["ExpectedUpgrade", "Shout", "{}", 400, {}],
    ["InterfaceNotFound", "../org.other.Thing.Call", "{}", 404, { interface: "org.other.Thing" }],
    ["MethodNotFound", "Nope", "{}", 404, { method: "org.example.test.Nope" }],
    ["MethodNotImplemented", "Unimplemented", "{}", 501, { method: "org.example.test.Unimplemented" }],
    ["PermissionDenied", "Fail", '{"kind": "denied"}', 403, {}],
  ];
  for (const [error, method, body, status, parameters] of rows) {
    test(`org.varlink.service.${error} is ${status} with the error as JSON`, async () => {
      const qualified = method.startsWith("../") ? method.slice(3) : `org.example.test.${method}`;
      const response = await post(`${bridge.url}/call/test/${qualified}`, body);
      assert.equal(response.status, status);
      assert.deepEqual(await response.json(), { error: `org.varlink.service.${error}`, parameters });
    });
  }

  test("an error the interface declares is 500 with its name and parameters", async () => {
    const response = await post(`${bridge.url}/call/test/org.example.test.Fail`, '{"kind": "declared"}');
    assert.equal(response.status, 500);
    assert.deepEqual(await response.json(), { error: "org.example.test.Custom", parameters: { reason: "declared" } });
  });
});

describe("UAPI.20 through the bridge: transport failures", () => {
  test("a service that cannot be reached is 502 with a message", async (t) => {
    const bridge = await startBridge(["--service", "gone=unix:/nonexistent/varlink.sock"]);
    t.after(() => bridge.stop());
    const response = await post(`${bridge.url}/call/gone/org.example.test.Echo`);
    assert.equal(response.status, 502);
    const body = (await response.json()) as { message: string };
    assert.deepEqual(Object.keys(body), ["message"]);
    assert.match(body.message, /\/nonexistent\/varlink\.sock: no such socket/);
  });

  test("a service that breaks off during a call is 502 with a message", async (t) => {
    const broken = await breakingService();
    t.after(() => broken.close());
    const bridge = await startBridge(["--service", `broken=${broken.address}`]);
    t.after(() => bridge.stop());
    const response = await post(`${bridge.url}/call/broken/org.example.test.Echo`);
    assert.equal(response.status, 502);
    assert.match(((await response.json()) as { message: string }).message, /closed/);
  });

  test('a stream that breaks off ends with an {"error": MESSAGE} record, status 200', async (t) => {
    const broken = await breakingService([{ parameters: { i: 0 }, continues: true }]);
    t.after(() => broken.close());
    const bridge = await startBridge(["--service", `broken=${broken.address}`]);
    t.after(() => bridge.stop());
    const response = await post(`${bridge.url}/call/broken/org.example.test.Count?more=true`);
    assert.equal(response.status, 200);
    const records = (await response.text())
      .split("\u001e")
      .filter((r) => r !== "")
      .map((r) => JSON.parse(r) as Record<string, unknown>);
    assert.deepEqual(records[0], { i: 0 });
    assert.equal(records.length, 2);
    assert.deepEqual(Object.keys(records[1]!), ["error"]);
    assert.match(String(records[1]!["error"]), /closed/);
  });

  test("a WebSocket to a service that cannot be reached fails its upgrade with 502", async (t) => {
    const bridge = await startBridge(["--service", "gone=unix:/nonexistent/varlink.sock"]);
    t.after(() => bridge.stop());
    const status = await new Promise<string>((resolve, reject) => {
      const raw = net.createConnection({ port: bridge.port, host: "127.0.0.1" });
      let text = "";
      raw.on("data", (chunk) => (text += chunk.toString()));
      raw.on("close", () => resolve(text.split("\r\n")[0]!));
      raw.on("error", reject);
      raw.write(
        `GET /ws/services/gone HTTP/1.1\r\nHost: 127.0.0.1:${bridge.port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: AAAAAAAAAAAAAAAAAAAAAA==\r\nSec-WebSocket-Version: 13\r\n\r\n`,
      );
    });
    assert.equal(status, "HTTP/1.1 502 Bad Gateway");
  });
});

describe("UAPI.20 through the bridge: routes", () => {
  let service: TestServer;
  let other: TestServer;
  let bridge: BridgeProcess;
  before(async () => {
    service = await startServer([testService()]);
    other = await startServer([testService()]);
    // Two services: one named after its interface, one not.
    bridge = await startBridge([
      "--service",
      `org.example.test=${service.address}`,
      "--service",
      `other=${other.address}`,
      "--base",
      "/varlink",
    ]);
  });
  after(async () => {
    await bridge.stop();
    await service.server.close();
    await other.server.close();
  });

  test("POST /call/SERVICE/METHOD calls that service", async () => {
    const response = await post(`${bridge.url}/call/other/org.example.test.Echo`, '{"value": "via path"}');
    assert.equal(response.status, 200);
    assert.deepEqual(await response.json(), { value: "via path" });
  });

  test("POST /call/METHOD finds the service named after the method's interface", async () => {
    const response = await post(`${bridge.url}/call/org.example.test.Echo`, '{"value": "derived"}');
    assert.equal(response.status, 200);
    assert.deepEqual(await response.json(), { value: "derived" });
  });

  test("POST /call/METHOD?service= names the service", async () => {
    const response = await post(`${bridge.url}/call/org.example.test.Echo?service=other`, '{"value": "by query"}');
    assert.deepEqual(await response.json(), { value: "by query" });
  });

  test("?service= on /call/SERVICE/METHOD is refused: the path names it already", async () => {
    const response = await post(`${bridge.url}/call/other/org.example.test.Echo?service=other`);
    assert.equal(response.status, 400);
    assert.match(((await response.json()) as { message: string }).message, /already named in the path/);
  });

  test("a service that is not bridged is 404 with a message", async () => {
    const response = await post(`${bridge.url}/call/elsewhere/org.example.test.Echo`);
    assert.equal(response.status, 404);
    assert.match(
      ((await response.json()) as { message: string }).message,
      /no service named 'elsewhere'.*bridged: org\.example\.test, other/,
    );
  });

  test("a method whose interface no bridged service has, with several bridged, is 404", async () => {
    const response = await post(`${bridge.url}/call/org.other.Thing.Call`);
    assert.equal(response.status, 404);
    assert.match(
      ((await response.json()) as { message: string }).message,
      /no bridged service has the interface 'org\.other\.Thing' \(bridged: /,
    );
  });

  test("?more=true streams every reply as application/json-seq", async () => {
    const response = await post(`${bridge.url}/call/org.example.test.Count?more=true`, '{"n": 3}');
    assert.equal(response.headers.get("content-type"), "application/json-seq");
    assert.equal(await response.text(), '\u001e{"i":0}\n\u001e{"i":1}\n\u001e{"i":2}\n');
  });

  test("Accept: application/json-seq streams as ?more=true does", async () => {
    const response = await post(`${bridge.url}/call/org.example.test.Count`, '{"n": 2}', {
      Accept: "application/json-seq",
    });
    assert.equal(await response.text(), '\u001e{"i":0}\n\u001e{"i":1}\n');
  });

  test("?more=false is a single call", async () => {
    const response = await post(`${bridge.url}/call/org.example.test.Count?more=false`, '{"n": 3}');
    assert.equal(response.headers.get("content-type"), "application/json");
    assert.deepEqual(await response.json(), { i: 0 });
  });

  test("?more= with anything but true or false is 400", async () => {
    const response = await post(`${bridge.url}/call/org.example.test.Count?more=yes`, '{"n": 3}');
    assert.equal(response.status, 400);
    assert.match(((await response.json()) as { message: string }).message, /\?more= takes true or false/);
  });

  test("an error after some replies ends the stream with the error record, status 200", async () => {
    const response = await post(`${bridge.url}/call/org.example.test.Count?more=true`, '{"n": -2}');
    assert.equal(response.status, 200);
    assert.equal(
      await response.text(),
      '\u001e{"i":0}\n\u001e{"i":1}\n\u001e{"error":"org.example.test.Custom","parameters":{"reason":"negative count"}}\n',
    );
  });

  test("GET /services/SERVICE/INTERFACE lists the interface's methods", async () => {
    const response = await fetch(`${bridge.url}/services/other/org.example.test`);
    assert.deepEqual(await response.json(), {
      methods: ["Echo", "Slow", "Count", "Forever", "Fail", "Big", "Notify", "Shout", "Unimplemented"],
    });
  });

  test("GET /services/SERVICE/INTERFACE with a bad interface name is 400", async () => {
    const response = await fetch(`${bridge.url}/services/other/not..a.name`);
    assert.equal(response.status, 400);
  });

  const ownErrors: Array<[string, () => Promise<Response>, number]> = [
    ["a body that is not JSON", () => post(`${bridge.url}/call/org.example.test.Echo`, "{nope"), 400],
    ["parameters that are not an object", () => post(`${bridge.url}/call/org.example.test.Echo`, "[1]"), 400],
    ["a method name that is not one", () => post(`${bridge.url}/call/not-a-method`), 400],
    ["a malformed %-escape", () => post(`${bridge.url}/call/org.example.test.%E0%A4%A`), 400],
    ["a route that does not exist", () => fetch(`${bridge.url}/nothing/here`), 404],
    ["GET on a call route", () => fetch(`${bridge.url}/call/org.example.test.Echo`), 405],
    [
      "a body over the limit",
      () => post(`${bridge.url}/call/org.example.test.Echo`, JSON.stringify({ value: "x".repeat(2 * 1024 * 1024) })),
      413,
    ],
    [
      "a body that is not declared JSON",
      () =>
        fetch(`${bridge.url}/call/org.example.test.Echo`, {
          method: "POST",
          body: "{}",
          headers: { "Content-Type": "text/plain" },
        }),
      415,
    ],
  ];
  for (const [what, request, status] of ownErrors) {
    test(`${what} is ${status} with a {"message"} body`, async () => {
      const response = await request();
      assert.equal(response.status, status);
      const body = (await response.json()) as Record<string, unknown>;
      assert.deepEqual(Object.keys(body), ["message"]);
      assert.equal(typeof body["message"], "string");
    });
  }
});
