import assert from "node:assert/strict";
import net from "node:net";
import { describe, test, type TestContext } from "node:test";
import { cliProcess } from "../helpers/cli.js";
import { socketAddress } from "../helpers/runtime.js";

// A service that cannot describe itself, as systemd-userdbd in systemd 252 answers GetInfo:
// MethodNotImplemented for every call. The error names the method that failed (issue #22, 3).

async function withoutGetInfo(t: TestContext): Promise<string> {
  const { address, path } = socketAddress("no-info.sock");
  const server = net.createServer((socket) => {
    let pending = "";
    socket.on("data", (chunk: Buffer) => {
      pending += chunk.toString("utf8");
      for (let end = pending.indexOf("\0"); end !== -1; end = pending.indexOf("\0")) {
        const { method } = JSON.parse(pending.slice(0, end)) as { method: string };
        pending = pending.slice(end + 1);
        socket.write(
          `${JSON.stringify({ error: "org.varlink.service.MethodNotImplemented", parameters: { method } })}\0`,
        );
      }
    });
    socket.on("error", () => socket.destroy());
  });
  await new Promise<void>((resolve) => server.listen(path, resolve));
  t.after(() => server.close());
  return address;
}

describe("introspection failures name the method that failed", () => {
  test("introspect says GetInfo failed when GetInfo is what failed", async (t) => {
    const address = await withoutGetInfo(t);
    const run = await cliProcess(["introspect", address]);
    assert.equal(run.code, 1);
    assert.match(run.stderr, /^org\.varlink\.service\.GetInfo failed: org\.varlink\.service\.MethodNotImplemented\n/);
  });

  test("introspect of a named interface says GetInterfaceDescription failed", async (t) => {
    const address = await withoutGetInfo(t);
    const run = await cliProcess(["introspect", address, "io.systemd.UserDatabase"]);
    assert.equal(run.code, 1);
    assert.match(
      run.stderr,
      /^org\.varlink\.service\.GetInterfaceDescription failed: org\.varlink\.service\.MethodNotImplemented\n/,
    );
  });

  test("generate --from names GetInfo too", async (t) => {
    const address = await withoutGetInfo(t);
    const run = await cliProcess(["generate", "--from", address, "--out", "/tmp/varlink-ts-never-written"]);
    assert.notEqual(run.code, 0);
    assert.match(run.stderr, /^org\.varlink\.service\.GetInfo failed: org\.varlink\.service\.MethodNotImplemented\n/);
  });
});

describe("introspection a service does not implement: the error says what to do", () => {
  test("info, when GetInfo is not implemented, points to calling methods by name and to --interface-file", async (t) => {
    const address = await withoutGetInfo(t);
    const run = await cliProcess(["info", address]);
    assert.equal(run.code, 1);
    assert.match(
      run.stderr,
      /^the service does not say what it implements: call its methods by name \(call ADDRESS INTERFACE\.METHOD PARAMETERS\); --interface-file FILE\.varlink describes an interface in its place/m,
    );
  });

  test("introspect INTERFACE, when GetInterfaceDescription is not implemented, points to --interface-file", async (t) => {
    const address = await withoutGetInfo(t);
    const run = await cliProcess(["introspect", address, "io.systemd.UserDatabase"]);
    assert.equal(run.code, 1);
    assert.match(
      run.stderr,
      /^the service does not describe its interfaces: --interface-file FILE\.varlink describes an interface in its place/m,
    );
  });
});
