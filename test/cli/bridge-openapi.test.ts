import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { test } from "node:test";
import { compileErrors, validate } from "@readme/openapi-parser";

import { packageVersion } from "../../src/cli/version.js";
import { startBridge } from "../helpers/bridge.js";
import { startServer, testService, withoutIntrospection } from "../helpers/runtime.js";

// GET /openapi.json (issue #22, 8): one OpenAPI document for everything the bridge serves, beside
// the per-interface ones: every service and interface, the bridge's URL as its server, the
// bridge's version, and what each service's GetInfo says of it; valid by the same validator.

const otherText = "interface org.example.other\n\nmethod Ping() -> (pong: bool)\n";

test("GET /openapi.json describes every bridged service and interface, and validates", async (t) => {
  const tests = await startServer([testService()], { product: "test-service", version: "4.5" });
  const quiet = await startServer(
    [{ name: "org.example.other", description: otherText, methods: { Ping: () => ({ pong: true }) } }],
    { interceptors: [withoutIntrospection] },
  );
  const file = path.join(mkdtempSync(path.join(tmpdir(), "varlink-ts-openapi-")), "org.example.other.varlink");
  writeFileSync(file, otherText);
  const bridge = await startBridge([
    "--base",
    "/varlink",
    "--service",
    `tests=${tests.address}`,
    "--service",
    `quiet=${quiet.address}`,
    "--interface-file",
    `quiet=${file}`,
  ]);
  t.after(async () => {
    await bridge.stop();
    await tests.server.close({ timeout: 0 });
    await quiet.server.close({ timeout: 0 });
  });
  const response = await fetch(`${bridge.url}/openapi.json`);
  assert.equal(response.status, 200);
  const document = (await response.json()) as {
    info: { version: string; description: string };
    servers: Array<{ url: string }>;
    paths: Record<string, unknown>;
    "x-varlink-services": Record<string, unknown>;
  };
  const result = await validate(structuredClone(document) as never);
  assert.equal(result.valid, true, result.valid ? "" : compileErrors(result));
  assert.deepEqual(document.servers, [{ url: bridge.url }]);
  assert.equal(document.info.version, packageVersion);
  assert.match(document.info.description, /`tests`: test-service 4\.5/);
  assert.match(document.info.description, /`quiet`: a service that does not describe itself; org\.example\.other/);
  assert.equal((document["x-varlink-services"]["tests"] as { version: string }).version, "4.5");
  assert.equal(document["x-varlink-services"]["quiet"], null);
  for (const route of [
    "/call/tests/org.example.test.Echo",
    "/call/tests/org.varlink.service.GetInfo",
    "/call/quiet/org.example.other.Ping",
  ])
    assert.ok(route in document.paths, route);
});

test("an interface too large to describe gets a 502 naming the bound, not a document the size of its whole", async (t) => {
  // 40,000 methods: each costs its document about 1.3 KB, so the whole passes the 32 MiB bound.
  const methods = Array.from({ length: 40_000 }, (_, i) => `method M${i}(value: string) -> (value: string)`);
  const text = `interface org.example.huge\n\n${methods.join("\n")}\n`;
  const huge = await startServer([{ name: "org.example.huge", description: text, methods: {} }]);
  const bridge = await startBridge(["--service", `huge=${huge.address}`]);
  t.after(async () => {
    await bridge.stop();
    await huge.server.close({ timeout: 0 });
  });
  for (const route of ["/openapi.json", "/openapi/huge/org.example.huge"]) {
    const response = await fetch(`${bridge.url}${route}`);
    assert.equal(response.status, 502, route);
    // The bridge's bound, not a failure of the service, which answered.
    const { message } = (await response.json()) as { message: string };
    assert.match(
      message,
      /^the OpenAPI document would be larger than 33554432 characters \(reached at interface org\.example\.huge\)/,
      route,
    );
  }
});
