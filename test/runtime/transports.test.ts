import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { existsSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { Duplex } from "node:stream";
import { describe, test } from "node:test";
import { ConnectionError, SocketConnection, VarlinkServer } from "@varlink-ts/runtime";
import { corpusSkip, repoRoot } from "../helpers/paths.js";
import { eventually, socketAddress, testService } from "../helpers/runtime.js";

const certificationMain = path.join(repoRoot, "dist", "test", "e2e", "certification", "main.js");

async function roundTrip(address: string): Promise<void> {
  const client = await SocketConnection.connect(address);
  assert.deepEqual(await client.call("org.example.test.Echo", { value: address }), { value: address });
  await client.close();
}

describe("transports", () => {
  test("tcp on IPv4 with an ephemeral port", async () => {
    const server = new VarlinkServer().addInterface(testService());
    await server.listen("tcp:127.0.0.1:0");
    const [address] = server.addresses;
    assert.match(address!, /^tcp:127\.0\.0\.1:\d+$/);
    await roundTrip(address!);
    await server.close();
  });

  test("tcp by host name", async () => {
    const server = new VarlinkServer().addInterface(testService());
    await server.listen("tcp:127.0.0.1:0");
    const port = server.addresses[0]!.split(":").pop();
    await roundTrip(`tcp:localhost:${port}`);
    await server.close();
  });

  test("tcp on IPv6 loopback, where the machine has it", async (t) => {
    const server = new VarlinkServer().addInterface(testService());
    try {
      await server.listen("tcp:[::1]:0");
    } catch (error) {
      t.skip(`no IPv6 loopback here: ${(error as Error).message}`);
      return;
    }
    assert.match(server.addresses[0]!, /^tcp:\[::1\]:\d+$/);
    await roundTrip(server.addresses[0]!);
    await server.close();
  });

  test("abstract unix sockets", async () => {
    const name = `varlink-ts-test-${process.pid}-${Date.now()}`;
    const server = new VarlinkServer().addInterface(testService());
    await server.listen(`unix:@${name}`);
    assert.deepEqual(server.addresses, [`unix:@${name}`]);
    await roundTrip(`unix:@${name}`);
    await server.close();
  });

  test("a unix socket gets the configured file mode", async () => {
    const { address, path: file } = socketAddress();
    const server = new VarlinkServer({ socketMode: 0o600 }).addInterface(testService());
    await server.listen(address);
    assert.equal(statSync(file).mode & 0o777, 0o600);
    await roundTrip(address);
    await server.close();
  });

  test("a stale socket file is replaced; a live one or a plain file is not", async () => {
    const { address, path: file } = socketAddress();
    // A server killed with SIGKILL leaves its socket file behind.
    const child = spawn(process.execPath, [
      "-e",
      `require("net").createServer().listen(${JSON.stringify(file)}, () => console.log("up"))`,
    ]);
    await new Promise((resolve) => child.stdout.once("data", resolve));
    const live = new VarlinkServer().addInterface(testService());
    await assert.rejects(live.listen(address), /another server is listening there/);
    child.kill("SIGKILL");
    await new Promise((resolve) => child.once("exit", resolve));
    assert.ok(existsSync(file), "the stale socket is still there");
    await live.listen(address);
    await roundTrip(address);
    await live.close();

    const plain = socketAddress();
    writeFileSync(plain.path, "not a socket");
    await assert.rejects(new VarlinkServer().listen(plain.address), /exists and is not a socket/);
  });

  for (const execSocket of ["socketpair", "listening"] as const) {
    // The server is the certification service, built on the corpus's interface by build:e2e
    // (npm test builds it, and test/packages/e2e-build.test.ts fails there if it was not built).
    const unbuilt = existsSync(certificationMain)
      ? undefined
      : "the certification server is built by build:e2e, which test:unit skips";
    test(`exec: hands the server a ${execSocket} socket by socket activation and stops it on close`, {
      skip: corpusSkip || unbuilt,
    }, async () => {
      const client = await SocketConnection.connect(
        `exec:${process.execPath} ${certificationMain} server unix:/nonexistent/never-used`,
        { execSocket },
      );
      const info = (await client.call("org.varlink.service.GetInfo")) as { product: string; interfaces: string[] };
      assert.equal(info.product, "certification");
      assert.ok(info.interfaces.includes("org.varlink.certification"));
      // Pipelined calls share the one connection.
      const replies = await Promise.all([1, 2, 3].map(() => client.call("org.varlink.service.GetInfo")));
      assert.equal(replies.length, 3);
      await client.close();
      assert.equal(existsSync("/nonexistent/never-used"), false);
    });
  }

  test("exec: of a program that cannot start fails with a clear error", async () => {
    await assert.rejects(
      SocketConnection.connect("exec:/nonexistent/server"),
      /cannot start \/nonexistent\/server: no such file/,
    );
    // The program may end before or after the client connects; either way the error says so.
    const outcome = await SocketConnection.connect("exec:/bin/false", { execSocket: "listening" }).then(
      (client) =>
        client.call("org.varlink.service.GetInfo").then(
          () => undefined,
          (error: unknown) => error,
        ),
      (error: unknown) => error,
    );
    assert.ok(outcome instanceof ConnectionError, String(outcome));
    assert.match(outcome.message, /exited with code 1/);
    const paired = await SocketConnection.connect("exec:/bin/false");
    await assert.rejects(paired.call("org.varlink.service.GetInfo"), /server process exited with code 1/);
  });

  test("a server reads LISTEN_PID and refuses sockets meant for another process", async () => {
    const server = new VarlinkServer();
    assert.equal(await server.listenActivated({ LISTEN_FDS: "1", LISTEN_PID: String(process.pid + 1) }), false);
    assert.equal(await server.listenActivated({}), false);
    await server.close();
  });

  test("serving over a pair of pipes (stdin/stdout of a child process)", async () => {
    const script = `
      import { VarlinkServer } from ${JSON.stringify(path.join(repoRoot, "src", "runtime", "dist", "index.js"))};
      const server = new VarlinkServer({ product: "stdio" });
      server.serveStdio();
    `;
    const child = spawn(process.execPath, ["--input-type=module", "-e", script], {
      stdio: ["pipe", "pipe", "inherit"],
    });
    const client = SocketConnection.fromStream(Duplex.from({ readable: child.stdout, writable: child.stdin }));
    const info = (await client.call("org.varlink.service.GetInfo")) as { product: string };
    assert.equal(info.product, "stdio");
    child.stdin.end();
    await eventually(() => child.exitCode !== null, "the stdio server exits when its input ends");
    await client.close();
  });
});
