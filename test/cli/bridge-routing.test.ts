import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, test, type TestContext } from "node:test";
import type { ServiceInterface } from "@varlink-ts/runtime";
import { startBridge } from "../helpers/bridge.js";
import { silentService } from "../helpers/raw-service.js";
import { startServer, testService, withoutIntrospection } from "../helpers/runtime.js";

// /call/METHOD with several services bridged (issue #22, 7): the call goes to the one service
// that has the method's interface (its GetInfo lists it, or an --interface-file describes it for
// it), whatever the services are called; an interface two services have is a 409 naming both.

const otherText = "interface org.example.other\n\nmethod Ping() -> (pong: bool)\n";
const other: ServiceInterface = {
  name: "org.example.other",
  description: otherText,
  methods: { Ping: () => ({ pong: true }) },
};

async function service(t: TestContext, interfaces: ServiceInterface[], describes = true): Promise<string> {
  const running = await startServer(interfaces, describes ? {} : { interceptors: [withoutIntrospection] });
  t.after(() => running.server.close({ timeout: 0 }));
  return running.address;
}

async function bridge(t: TestContext, args: string[]): Promise<string> {
  const running = await startBridge(args);
  t.after(() => running.stop());
  return running.url;
}

/** Requests give up after 8 s, so that a bridge that hangs fails the test instead of stalling it. */
function post(url: string, method: string, body = "{}"): Promise<Response> {
  return fetch(`${url}/call/${method}`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body,
    signal: AbortSignal.timeout(8000),
  });
}

describe("the bridge routes /call/METHOD by interface", () => {
  test("each call goes to the one service that has its interface", async (t) => {
    const url = await bridge(t, [
      "--service",
      `tests=${await service(t, [testService()])}`,
      "--service",
      `others=${await service(t, [other])}`,
    ]);
    const echoed = await post(url, "org.example.test.Echo", '{"value": 7}');
    assert.equal(echoed.status, 200);
    assert.deepEqual(await echoed.json(), { value: 7 });
    const pinged = await post(url, "org.example.other.Ping");
    assert.equal(pinged.status, 200);
    assert.deepEqual(await pinged.json(), { pong: true });
  });

  test("an interface two services have is a 409 naming both", async (t) => {
    const url = await bridge(t, [
      "--service",
      `first=${await service(t, [testService()])}`,
      "--service",
      `second=${await service(t, [testService(), other])}`,
    ]);
    const response = await post(url, "org.example.test.Echo", '{"value": 1}');
    assert.equal(response.status, 409);
    assert.match(
      ((await response.json()) as { message: string }).message,
      /'org\.example\.test' is served by first and second: name one with \?service= or \/call\/SERVICE\/METHOD/,
    );
    const named = await post(`${url}`, "second/org.example.test.Echo", '{"value": 2}');
    assert.deepEqual(await named.json(), { value: 2 });
  });

  test("an interface no service has is a 404 naming the services", async (t) => {
    const url = await bridge(t, [
      "--service",
      `tests=${await service(t, [testService()])}`,
      "--service",
      `others=${await service(t, [other])}`,
    ]);
    const response = await post(url, "org.example.nothing.Call");
    assert.equal(response.status, 404);
    assert.match(
      ((await response.json()) as { message: string }).message,
      /no bridged service has the interface 'org\.example\.nothing' \(bridged: tests, others\)/,
    );
  });

  test("a service that cannot describe itself is routed to by its --interface-file", async (t) => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), "varlink-ts-route-")), "org.example.other.varlink");
    writeFileSync(file, otherText);
    const url = await bridge(t, [
      "--service",
      `tests=${await service(t, [testService()])}`,
      "--service",
      `withoutIntrospection=${await service(t, [other], false)}`,
      "--interface-file",
      `withoutIntrospection=${file}`,
    ]);
    const pinged = await post(url, "org.example.other.Ping");
    assert.equal(pinged.status, 200);
    assert.deepEqual(await pinged.json(), { pong: true });
  });
});

// Issue #34, 5: a service that never answers GetInfo is skipped after a bounded wait (3 s, or
// --timeout if shorter), remembered as down for 30 s, and named as such.
describe("a bridged service that never answers GetInfo", () => {
  test("without --timeout, calls routed by interface still reach the service that has it", async (t) => {
    const withoutIntrospection = await silentService(t);
    const url = await bridge(t, [
      "--service",
      `tests=${await service(t, [testService()])}`,
      "--service",
      `withoutIntrospection=${withoutIntrospection.address}`,
    ]);
    const echoed = await post(url, "org.example.test.Echo", '{"value": 7}');
    assert.equal(echoed.status, 200);
    assert.deepEqual(await echoed.json(), { value: 7 });
  });

  test("it is asked once, then remembered as down: later routed calls do not wait for it", async (t) => {
    const withoutIntrospection = await silentService(t);
    const url = await bridge(t, [
      "--timeout",
      "2",
      "--service",
      `tests=${await service(t, [testService()])}`,
      "--service",
      `withoutIntrospection=${withoutIntrospection.address}`,
    ]);
    for (const value of [1, 2, 3])
      assert.deepEqual(await (await post(url, "org.example.test.Echo", `{"value": ${value}}`)).json(), { value });
    assert.equal(withoutIntrospection.accepted, 1, "one connection, for one GetInfo");
  });

  test("an interface only it might have is a 502 that names it as down, and why", async (t) => {
    const withoutIntrospection = await silentService(t);
    const url = await bridge(t, [
      "--timeout",
      "0.5",
      "--service",
      `tests=${await service(t, [testService()])}`,
      "--service",
      `withoutIntrospection=${withoutIntrospection.address}`,
    ]);
    const response = await post(url, "org.example.nothing.Call");
    assert.equal(response.status, 502);
    assert.equal(
      ((await response.json()) as { message: string }).message,
      "no bridged service that answers has the interface 'org.example.nothing': withoutIntrospection is down (no answer to GetInfo within 0.5 s); name the service with ?service= or /call/SERVICE/METHOD",
    );
  });

  test("/openapi.json describes the others and names it as left out", async (t) => {
    const withoutIntrospection = await silentService(t);
    const url = await bridge(t, [
      "--service",
      `tests=${await service(t, [testService()])}`,
      "--service",
      `withoutIntrospection=${withoutIntrospection.address}`,
    ]);
    const response = await fetch(`${url}/openapi.json`, { signal: AbortSignal.timeout(8000) });
    assert.equal(response.status, 200);
    const document = (await response.json()) as {
      paths: Record<string, unknown>;
      "x-varlink-left-out": Record<string, string>;
    };
    assert.ok("/call/tests/org.example.test.Echo" in document.paths);
    assert.deepEqual(document["x-varlink-left-out"], { withoutIntrospection: "down: no answer to GetInfo within 3 s" });
  });

  test("the explorer's list says it cannot be reached, and why", async (t) => {
    const withoutIntrospection = await silentService(t);
    const url = await bridge(t, [
      "--ui",
      "--timeout",
      "0.5",
      "--service",
      `tests=${await service(t, [testService()])}`,
      "--service",
      `withoutIntrospection=${withoutIntrospection.address}`,
    ]);
    const response = await fetch(`${url}/explorer/services`, { signal: AbortSignal.timeout(8000) });
    const { services } = (await response.json()) as {
      services: Array<{ name: string; unreachable?: string; interfaces: unknown[] }>;
    };
    assert.deepEqual(
      services.map(({ name, unreachable }) => ({ name, unreachable })),
      [
        { name: "tests", unreachable: undefined },
        { name: "withoutIntrospection", unreachable: "no answer to GetInfo within 0.5 s" },
      ],
    );
  });
});
