import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { chmodSync, closeSync } from "node:fs";
import path from "node:path";
import { describe, test } from "node:test";
import { ConnectionError, SocketConnection, VarlinkServer } from "@varlink-ts/runtime";
import { dup, unixFds } from "@varlink-ts/unix-fds";
import { fdsService, fileWith, nativeBinding, noFdLeak, openFdCount, spawnLimitedServer } from "../helpers/fds.js";
import { eventually, socketAddress } from "../helpers/runtime.js";

// What goes wrong around fds: a peer that leaves mid-message, fds that do not fit in the
// receiver (MSG_CTRUNC), and who the caller is when it is another user.

async function fdServer(t: { after: (f: () => unknown) => void }, name: string) {
  const logged: string[] = [];
  const server = new VarlinkServer({
    fdPassing: unixFds,
    socketMode: 0o666,
    logger: (message) => logged.push(message),
  });
  server.addInterface(fdsService());
  const socket = socketAddress(name);
  await server.listen(socket.address);
  t.after(() => server.close({ timeout: 0 }));
  return { server, logged, ...socket };
}

describe("fd passing faults", () => {
  test("a client that leaves mid-message with fds: they are closed, the server goes on", async (t) => {
    const { server, address, path: socketPath } = await fdServer(t, "mid.sock");
    const probe = await SocketConnection.connect(address, { fdPassing: unixFds });
    t.after(() => probe.close());
    await probe.call("org.example.fds.Count", {});
    const file = fileWith("x");
    t.after(() => closeSync(file));
    const before = openFdCount();
    const raw = unixFds.connect(socketPath);
    await new Promise<void>((resolve, reject) =>
      raw.writeWithFds('{"method":"org.example.fds.Co', [file, file, file], (error) =>
        error ? reject(error) : resolve(),
      ),
    );
    await eventually(() => server.connectionCount === 2, "the server has the half-sent call's connection");
    raw.destroy();
    await eventually(() => server.connectionCount === 1, "the server drops the connection");
    await noFdLeak(before);
    assert.deepEqual(await probe.call("org.example.fds.Count", {}), { count: 0, texts: [] });
  });

  test("fds that do not fit in the receiver (MSG_CTRUNC) close that connection, said in the log; the server lives", async (t) => {
    const { address, path: socketPath } = socketAddress("limited.sock");
    // The service may hold 64 fds, of which Node takes about 20: 100 more do not fit.
    const child = spawnLimitedServer(socketPath);
    t.after(() => child.kill());
    let output = "";
    child.stdout.setEncoding("utf8").on("data", (text: string) => (output += text));
    await eventually(() => output.includes("listening"), "the limited service listens");
    const file = fileWith("x");
    t.after(() => closeSync(file));
    const fds = Array.from({ length: 100 }, () => dup(file));
    t.after(() => {
      for (const fd of fds) closeSync(fd);
    });
    const client = await SocketConnection.connect(address, { fdPassing: unixFds });
    t.after(() => client.close());
    await assert.rejects(client.call("org.example.fds.Count", {}, { fds }), ConnectionError);
    await eventually(
      () =>
        /closing a connection: recvmsg: the file descriptors sent with a message did not fit \(MSG_CTRUNC\)/.test(
          output,
        ),
      "the service logs why",
    );
    const again = await SocketConnection.connect(address, { fdPassing: unixFds });
    t.after(() => again.close());
    assert.deepEqual(await again.call("org.example.fds.Count", {}, { fds: [file] }), { count: 1, texts: ["x"] });
  });

  test("a read whose fds cannot all be handed over (the array refuses one) closes those it kept", (t) => {
    const [sender, receiver] = nativeBinding.socketpair();
    t.after(() => {
      for (const fd of [sender, receiver]) closeSync(fd);
    });
    const file = fileWith("x");
    t.after(() => closeSync(file));
    const before = openFdCount();
    assert.equal(nativeBinding.send(sender, Buffer.from("x"), 0, 1, [file, file, file]), 1);
    // An array that takes the first fd and throws on the second: the read fails mid-copy.
    const fds: number[] = [];
    Object.setPrototypeOf(fds, Object.create(Array.prototype, { 1: { set: () => assert.fail("refused") } }));
    assert.throws(() => nativeBinding.recv(receiver, Buffer.alloc(16), fds), /refused/);
    // The first is the caller's to close; the other two are the add-on's, and closed.
    assert.equal(fds.length, 1);
    closeSync(fds[0]!);
    assert.equal(openFdCount(), before);
  });

  test("the handler sees another user's uid and gid when that user calls", async (t) => {
    const { path: socketPath } = await fdServer(t, "peer.sock");
    chmodSync(path.dirname(socketPath), 0o755);
    const script = `const s = require("node:net").connect(${JSON.stringify(socketPath)}, () => s.write('{"method":"org.example.fds.WhoAmI"}\\0'));
s.on("data", (d) => { process.stdout.write(d.toString().replace("\\0", "")); s.end(); });`;
    // Not spawnSync: the server answering it runs in this process.
    const child = spawn(
      "setpriv",
      ["--reuid=nobody", "--regid=nogroup", "--clear-groups", process.execPath, "-e", script],
      { stdio: ["ignore", "pipe", "pipe"] },
    );
    t.after(() => child.kill());
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (text: string) => (stdout += text));
    child.stderr.setEncoding("utf8").on("data", (text: string) => (stderr += text));
    const status = await new Promise<number | null>((resolve) => child.once("exit", resolve));
    assert.equal(status, 0, stderr);
    const reply = JSON.parse(stdout) as { parameters: { uid: number; gid: number; pid: number } };
    assert.equal(reply.parameters.uid, 65534);
    assert.equal(reply.parameters.gid, 65534);
    assert.ok(reply.parameters.pid > 0 && reply.parameters.pid !== process.pid);
  });
});
