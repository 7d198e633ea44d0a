import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { describeRebinding } from "../helpers/bridge-rebinding.js";
import { cliProcess } from "../helpers/cli.js";
import { startServer, testService } from "../helpers/runtime.js";

// The rebinding tests against a runtime service; test/e2e/bridge-userdbd.test.ts runs them
// against systemd-userdbd.

describeRebinding("the HTTP bridge refuses DNS rebinding and foreign pages on every route (runtime service)", {
  start: async () => {
    const service = await startServer([testService()]);
    return { address: service.address, stop: () => service.server.close() };
  },
  interfaceName: "org.example.test",
  call: { method: "org.example.test.Echo", body: '{"value": 2}', reply: /\{"value":2\}$/ },
  oneway: { method: "org.example.test.Notify", body: '{"text": "x"}' },
});

describe("bridge host settings", () => {
  test("--allow-remote without --allow-host is a usage error", async () => {
    const run = await cliProcess([
      "bridge",
      "http",
      "--listen",
      "0.0.0.0:0",
      "--allow-remote",
      "--service",
      "x=unix:/nowhere",
    ]);
    assert.equal(run.code, 2, run.stderr);
    assert.match(run.stderr, /--allow-host/);
  });

  test("--allow-host refuses what is not a host name", async () => {
    for (const bad of ["bridge.test:8080", "http://bridge.test", "a b", "evil@bridge.test"]) {
      const run = await cliProcess([
        "bridge",
        "http",
        "--listen",
        "127.0.0.1:0",
        "--allow-host",
        bad,
        "--service",
        "x=unix:/nowhere",
      ]);
      assert.equal(run.code, 2, `${bad}: ${run.stderr}`);
      assert.match(run.stderr, /--allow-host takes a host name/);
    }
  });
});
