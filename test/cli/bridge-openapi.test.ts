import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { test } from "node:test";
import { compileErrors, validate } from "@readme/openapi-parser";
import { MethodNotImplemented, type ServerInterceptor } from "@varlink-ts/runtime";
import { packageVersion } from "../../src/cli/version.js";
import { startBridge } from "../helpers/bridge.js";
import { startServer, testService } from "../helpers/runtime.js";

// GET /openapi.json (issue #22, 8): one OpenAPI document for everything the bridge serves, beside
// the per-interface ones: every service and interface, the bridge's URL as its server, the
// bridge's version, and what each service's GetInfo says of it; valid by the same validator.

const otherText = "interface org.example.other\n\nmethod Ping() -> (pong: bool)\n";

/** Answers org.varlink.service with MethodNotImplemented, as systemd-userdbd in systemd 252. */
const silent: ServerInterceptor = (next) => (call) => {
  if (call.method.startsWith("org.varlink.service.")) throw new MethodNotImplemented({ method: call.method });
  return next(call);
};

test("GET /openapi.json describes every bridged service and interface, and validates", async (t) => {
  const tests = await startServer([testService()], { product: "test-service", version: "4.5" });
  const quiet = await startServer([{ name: "org.example.other", description: otherText, methods: { Ping: () => ({ pong: true }) } }], { interceptors: [silent] });
  const file = path.join(mkdtempSync(path.join(tmpdir(), "varlink-ts-openapi-")), "org.example.other.varlink");
  writeFileSync(file, otherText);
  const bridge = await startBridge(["--base", "/varlink", "--service", `tests=${tests.address}`, "--service", `quiet=${quiet.address}`, "--interface-file", `quiet=${file}`]);
  t.after(async () => {
    await bridge.stop();
    await tests.server.close({ timeout: 0 });
    await quiet.server.close({ timeout: 0 });
  });
  const response = await fetch(`${bridge.url}/openapi.json`);
  assert.equal(response.status, 200);
  const document = (await response.json()) as { info: { version: string; description: string }; servers: Array<{ url: string }>; paths: Record<string, unknown>; "x-varlink-services": Record<string, unknown> };
  const result = await validate(structuredClone(document) as never);
  assert.equal(result.valid, true, result.valid ? "" : compileErrors(result));
  assert.deepEqual(document.servers, [{ url: bridge.url }]);
  assert.equal(document.info.version, packageVersion);
  assert.match(document.info.description, /`tests`: test-service 4\.5/);
  assert.match(document.info.description, /`quiet`: a service that does not describe itself; org\.example\.other/);
  assert.equal((document["x-varlink-services"]["tests"] as { version: string }).version, "4.5");
  assert.equal(document["x-varlink-services"]["quiet"], null);
  for (const route of ["/call/tests/org.example.test.Echo", "/call/tests/org.varlink.service.GetInfo", "/call/quiet/org.example.other.Ping"]) assert.ok(route in document.paths, route);
});
