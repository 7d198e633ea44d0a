import assert from "node:assert/strict";
import net from "node:net";
import { describe, test } from "node:test";
import { cliProcess } from "../helpers/cli.js";
import { startServer, testService } from "../helpers/runtime.js";

// Mistakes a new user makes on the first day, each answered in one clear line (issue #22, 4).

describe("one clear line for everyday mistakes", () => {
  test("a bare --json means what -j means, and the address after it stays the address", async (t) => {
    const { server, address } = await startServer([testService()]);
    t.after(() => server.close());
    const run = await cliProcess(["list-interfaces", "--json", address]);
    assert.equal(run.code, 0, run.stderr);
    assert.deepEqual(JSON.parse(run.stdout), ["org.varlink.service", "org.example.test"]);
  });

  test("an address that cannot be one is a usage error: exit 2, one line", async () => {
    const run = await cliProcess(["info", "bogus:thing"]);
    assert.equal(run.code, 2);
    assert.equal(run.stderr, "varlink-ts: invalid varlink address 'bogus:thing': unknown transport 'bogus'\n");
  });

  test("a port in use says so in words, in one line", async (t) => {
    const holder = net.createServer();
    await new Promise<void>((resolve) => holder.listen(0, "127.0.0.1", resolve));
    t.after(() => holder.close());
    const { port } = holder.address() as net.AddressInfo;
    const run = await cliProcess([
      "bridge",
      "http",
      "--listen",
      `127.0.0.1:${port}`,
      "--service",
      "a=unix:/nowhere.sock",
    ]);
    assert.equal(run.code, 2);
    assert.equal(
      run.stderr,
      `varlink-ts: cannot listen on 127.0.0.1:${port}: the address is in use (another program listens there)\n`,
    );
  });
});
