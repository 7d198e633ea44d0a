import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import net from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import {
  connectWebSocket,
  ConnectionError,
  HttpConnection,
  InterfaceNotFound,
  InvalidParameter,
  MethodNotFound,
  SocketConnection,
  VarlinkError,
} from "@varlink-ts/runtime";
import { startBridge, type BridgeProcess } from "../helpers/bridge.js";
import { binPath, cliProcess } from "../helpers/cli.js";
import { startServer, testInterfaceText, testService, type TestServer, type TestState } from "../helpers/runtime.js";

// The HTTP bridge as a subprocess in front of a runtime test service: routes, WebSocket mode,
// and the limits that keep it safe. (Against systemd-userdbd: test/e2e/bridge.test.ts.)

const post = (url: string, body: string, headers: Record<string, string> = {}): Promise<Response> =>
  fetch(url, { method: "POST", headers: { "Content-Type": "application/json", ...headers }, body });

describe("varlink-ts bridge http", () => {
  const state: TestState = { started: 0, running: 0, notified: [] };
  let service: TestServer;
  let bridge: BridgeProcess;
  before(async () => {
    service = await startServer([testService(state)]);
    bridge = await startBridge(["--service", `test=${service.address}`, "--base", "/varlink"]);
  });
  after(async () => {
    await bridge.stop();
    await service.server.close();
  });

  test("simple mode: a call, its reply unwrapped", async () => {
    const response = await post(`${bridge.url}/call/org.example.test.Echo`, JSON.stringify({ value: [1, { a: "b" }] }));
    assert.equal(response.status, 200);
    assert.equal(response.headers.get("content-type"), "application/json");
    assert.deepEqual(await response.json(), { value: [1, { a: "b" }] });
    const empty = await post(`${bridge.url}/call/org.example.test.Count`, "");
    assert.deepEqual(await empty.json(), {}, "no body means no parameters; Count with n unset yields nothing and ends");
  });

  test("simple mode: integers beyond 2^53 pass through exactly, both ways", async () => {
    const response = await post(
      `${bridge.url}/call/org.example.test.Echo`,
      '{"value":[18446744073709551615,-9223372036854775808,1.5]}',
    );
    assert.equal(response.status, 200);
    assert.equal(await response.text(), '{"value":[18446744073709551615,-9223372036854775808,1.5]}');
  });

  test("simple mode: json-seq streams every reply of a more call", async () => {
    const response = await post(`${bridge.url}/call/org.example.test.Count`, '{"n": 3}', {
      Accept: "application/json-seq",
    });
    assert.equal(response.headers.get("content-type"), "application/json-seq");
    assert.equal(await response.text(), '\u001e{"i":0}\n\u001e{"i":1}\n\u001e{"i":2}\n');
  });

  test("simple mode: oneway answers 204 at once", async () => {
    const response = await post(`${bridge.url}/call/org.example.test.Notify?oneway=true`, '{"text": "over http"}');
    assert.equal(response.status, 204);
    assert.equal(await response.text(), "");
    await new Promise((resolve) => setTimeout(resolve, 100));
    assert.ok(state.notified.includes("over http"));
  });

  test("introspection and health routes", async () => {
    assert.deepEqual(await (await fetch(`${bridge.url}/services`)).json(), { services: ["test"] });
    const info = (await (await fetch(`${bridge.url}/services/test`)).json()) as { interfaces: string[] };
    assert.deepEqual(info.interfaces, ["org.varlink.service", "org.example.test"]);
    const described = (await (await fetch(`${bridge.url}/services/test/org.example.test`)).json()) as {
      methods: string[];
    };
    assert.ok(described.methods.includes("Echo"));
    assert.equal((await fetch(`${bridge.url}/services/nope`)).status, 404);
    assert.deepEqual(await (await fetch(`${bridge.url}/health`)).json(), { status: "ok", services: ["test"] });
    assert.equal((await fetch(`http://127.0.0.1:${bridge.port}/health`)).status, 404, "routes live under --base only");
  });

  test("the typed HTTP client: calls, streams, oneway and error classes", async () => {
    const client = new HttpConnection(bridge.url, { service: "test" });
    assert.deepEqual(await client.call("org.example.test.Echo", { value: "x" }), { value: "x" });
    const counted: unknown[] = [];
    for await (const reply of client.more("org.example.test.Count", { n: 4 })) counted.push(reply);
    assert.deepEqual(counted, [{ i: 0 }, { i: 1 }, { i: 2 }, { i: 3 }]);
    await assert.rejects(client.call("org.example.test.Nope"), (e) => e instanceof MethodNotFound);
    await assert.rejects(
      client.call("org.example.test.Slow", { ms: 5000 }, { timeout: 100 }),
      /no reply within 100 ms/,
    );
  });

  test("every connection raises org.varlink.service errors as the runtime's classes", async (t) => {
    const socket = await SocketConnection.connect(service.address);
    t.after(() => socket.close());
    const websocket = await connectWebSocket(`ws://127.0.0.1:${bridge.port}/varlink/ws/services/test`);
    t.after(() => websocket.close());
    const http = new HttpConnection(bridge.url, { service: "test" });
    for (const connection of [socket, websocket, http]) {
      await assert.rejects(
        connection.call("org.example.test.Nope"),
        (e: unknown) => e instanceof MethodNotFound && e.name === "MethodNotFound",
      );
      await assert.rejects(
        connection.call("org.example.test.Big", { bytes: "many" }),
        (e: unknown) => e instanceof InvalidParameter && e.parameters.parameter === "bytes",
      );
      await assert.rejects(connection.call("org.other.Thing"), (e: unknown) => e instanceof InterfaceNotFound);
    }
  });

  test("WebSocket mode tunnels the protocol: pipelining, more and errors", async () => {
    const client = await connectWebSocket(`ws://127.0.0.1:${bridge.port}/varlink/ws/services/test`);
    const echoes = await Promise.all(
      Array.from({ length: 20 }, (_, i) => client.call("org.example.test.Echo", { value: i })),
    );
    assert.deepEqual(
      echoes,
      Array.from({ length: 20 }, (_, i) => ({ value: i })),
    );
    const counted: unknown[] = [];
    for await (const reply of client.more("org.example.test.Count", { n: 3 })) counted.push(reply);
    assert.deepEqual(counted, [{ i: 0 }, { i: 1 }, { i: 2 }]);
    await assert.rejects(
      client.call("org.example.test.Nope"),
      (e) => e instanceof VarlinkError && e.errorName === "org.varlink.service.MethodNotFound",
    );
    await client.close();
  });

  test("garbage on the WebSocket route ends that connection, and the bridge carries on", async () => {
    const status = async (response: Promise<Response>): Promise<number> => (await response).status;
    const raw = net.createConnection({ port: bridge.port, host: "127.0.0.1" });
    raw.write(
      `GET /varlink/ws/services/test HTTP/1.1\r\nHost: 127.0.0.1:${bridge.port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: AAAAAAAAAAAAAAAAAAAAAA==\r\nSec-WebSocket-Version: 13\r\n\r\n`,
    );
    raw.write(Buffer.from([0xff, 0xff, 0xff, 0xff, 0xff, 0xff]));
    await new Promise((resolve) => raw.on("close", resolve).on("error", resolve).resume());
    assert.equal(await status(post(`${bridge.url}/call/org.example.test.Echo`, "{}")), 200);
  });

  test("a WebSocket from a page of another origin is refused", async () => {
    await assert.rejects(
      new Promise((resolve, reject) => {
        const raw = net.createConnection({ port: bridge.port, host: "127.0.0.1" });
        let text = "";
        raw.on("data", (chunk) => (text += chunk.toString()));
        raw.on("close", () =>
          text.startsWith("HTTP/1.1 403") ? reject(new Error(text.split("\r\n")[0])) : resolve(text),
        );
        raw.write(
          `GET /varlink/ws/services/test HTTP/1.1\r\nHost: 127.0.0.1:${bridge.port}\r\nOrigin: http://evil.example\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: AAAAAAAAAAAAAAAAAAAAAA==\r\nSec-WebSocket-Version: 13\r\n\r\n`,
        );
      }),
      /403 Forbidden/,
    );
  });
});

describe("bridge safety settings", () => {
  test("a bearer token is required everywhere once set", async () => {
    const service = await startServer([testService()]);
    const dir = mkdtempSync(path.join(tmpdir(), "varlink-ts-token-"));
    writeFileSync(path.join(dir, "token"), "s3cret\n");
    const bridge = await startBridge(["--service", `test=${service.address}`, "--token-file", path.join(dir, "token")]);
    try {
      assert.equal((await post(`${bridge.url}/call/org.example.test.Echo`, "{}")).status, 401);
      assert.equal(
        (await post(`${bridge.url}/call/org.example.test.Echo`, "{}", { Authorization: "Bearer wrong" })).status,
        401,
      );
      assert.equal((await fetch(`${bridge.url}/health`)).status, 401);
      assert.equal(
        (await post(`${bridge.url}/call/org.example.test.Echo`, "{}", { Authorization: "Bearer s3cret" })).status,
        200,
      );
      await assert.rejects(connectWebSocket(`ws://127.0.0.1:${bridge.port}/ws/services/test`), /HTTP 401/);
      const client = await connectWebSocket(`ws://127.0.0.1:${bridge.port}/ws/services/test`, { token: "s3cret" });
      assert.deepEqual(await client.call("org.example.test.Echo", { value: 1 }), { value: 1 });
      await client.close();
      assert.deepEqual(
        await new HttpConnection(bridge.url, { token: "s3cret" }).call("org.example.test.Echo", { value: 2 }),
        { value: 2 },
      );
    } finally {
      await bridge.stop();
      await service.server.close();
    }
  });

  test("the HTTP client raises a ConnectionError when the bridge cannot reach the service", async (t) => {
    const bridge = await startBridge(["--service", "gone=unix:/nonexistent/varlink.sock"]);
    t.after(() => bridge.stop());
    await assert.rejects(
      new HttpConnection(bridge.url, { service: "gone" }).call("org.example.test.Echo"),
      (e) => e instanceof ConnectionError && /HTTP 502: .*no such socket/.test(e.message),
    );
  });

  test("listening beyond loopback needs --allow-remote; bad settings are usage errors", async () => {
    const remote = await cliProcess(["bridge", "http", "--listen", "0.0.0.0:0", "--service", "a=unix:/x"]);
    assert.equal(remote.code, 2);
    assert.match(remote.stderr, /not a loopback address/);
    assert.match((await cliProcess(["bridge", "http", "--service", "a"])).stderr, /--service takes NAME=ADDRESS/);
    assert.match((await cliProcess(["bridge", "http", "--service", "a=http://x"])).stderr, /invalid varlink address/);
    assert.match((await cliProcess(["bridge", "http"])).stderr, /name at least one service/);
  });
});

describe("varlink-ts bridge stdio", () => {
  test("forwards each call to the service of its interface, in order, with more and errors", async () => {
    const service = await startServer([testService()]);
    const child = spawn(process.execPath, [binPath, "bridge", "stdio", "--service", `test=${service.address}`], {
      stdio: "pipe",
    });
    const replies: unknown[] = [];
    let buffer = "";
    child.stdout.setEncoding("utf8").on("data", (text: string) => {
      buffer += text;
      for (let i = buffer.indexOf("\0"); i >= 0; i = buffer.indexOf("\0")) {
        replies.push(JSON.parse(buffer.slice(0, i)));
        buffer = buffer.slice(i + 1);
      }
    });
    const calls = [
      { method: "org.varlink.service.GetInfo" },
      { method: "org.example.test.Echo", parameters: { value: "first" } },
      { method: "org.example.test.Count", parameters: { n: 2 }, more: true },
      { method: "org.example.test.Echo", parameters: { value: "last" } },
      { method: "org.example.other.Thing" },
      { method: "org.varlink.service.GetInterfaceDescription", parameters: { interface: "org.example.test" } },
    ];
    child.stdin.end(calls.map((c) => `${JSON.stringify(c)}\0`).join(""));
    const code = await new Promise((resolve) => child.on("close", resolve));
    assert.equal(code, 0);
    assert.deepEqual((replies[0] as { parameters: { interfaces: string[] } }).parameters.interfaces, [
      "org.varlink.service",
      "org.example.test",
    ]);
    assert.deepEqual(replies.slice(1, 5), [
      { parameters: { value: "first" } },
      { parameters: { i: 0 }, continues: true },
      { parameters: { i: 1 } },
      { parameters: { value: "last" } },
    ]);
    assert.deepEqual(replies[5], {
      error: "org.varlink.service.InterfaceNotFound",
      parameters: { interface: "org.example.other" },
    });
    assert.deepEqual(replies[6], { parameters: { description: testInterfaceText } });
    await service.server.close();
  });

  test("integers beyond 2^53 pass through exactly", async (t) => {
    const service = await startServer([testService()]);
    t.after(() => service.server.close());
    const call = '{"method":"org.example.test.Echo","parameters":{"value":18446744073709551615}}\0';
    const run = await cliProcess(["bridge", "stdio", "--service", `test=${service.address}`], { stdin: call });
    assert.equal(run.code, 0, run.stderr);
    assert.equal(run.stdout, '{"parameters":{"value":18446744073709551615}}\0');
  });

  test("finds a service through an org.varlink.resolver", async () => {
    const service = await startServer([testService()]);
    const resolver = await startServer([
      {
        name: "org.varlink.resolver",
        description:
          "interface org.varlink.resolver\nmethod Resolve(interface: string) -> (address: string)\nerror InterfaceNotFound (interface: string)\n",
        methods: {
          Resolve: (p: { interface: string }) => {
            if (p.interface === "org.example.test") return { address: service.address };
            throw new VarlinkError("org.varlink.resolver.InterfaceNotFound", { interface: p.interface });
          },
        },
      },
    ]);
    const run = await cliProcess(["bridge", "stdio", "--resolver", resolver.address], {
      stdin: `${JSON.stringify({ method: "org.example.test.Echo", parameters: { value: "resolved" } })}\0${JSON.stringify({ method: "org.example.none.Call" })}\0`,
    });
    assert.equal(run.code, 0, run.stderr);
    assert.deepEqual(
      run.stdout
        .split("\0")
        .filter((m) => m !== "")
        .map((m) => JSON.parse(m)),
      [
        { parameters: { value: "resolved" } },
        { error: "org.varlink.service.InterfaceNotFound", parameters: { interface: "org.example.none" } },
      ],
    );
    await resolver.server.close();
    await service.server.close();
  });
});
