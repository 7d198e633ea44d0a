import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import path from "node:path";
import { describe, test, type TestContext } from "node:test";
import { SocketConnection } from "@varlink-ts/runtime";
import { unixFds } from "@varlink-ts/unix-fds";
import { nativeBinding, noFdLeak, openFdCount } from "../helpers/fds.js";
import { repoRoot } from "../helpers/paths.js";
import { eventually, socketAddress } from "../helpers/runtime.js";

// Connecting never blocks the event loop: a listener whose backlog is full (one that accepts too
// slowly) is tried again until it has room, and the wait can be given up.

/** A listening socket that nobody accepts on, whose backlog (0: one connection) is already full. */
function fullListener(t: TestContext): { address: string; path: string; close: () => void } {
  const socket = socketAddress("full.sock");
  const listening = nativeBinding.listen(socket.path, 0);
  let open = true;
  const close = (): void => {
    if (open) nativeBinding.close(listening);
    open = false;
  };
  t.after(close);
  const first = unixFds.connect(socket.path);
  t.after(() => first.destroy());
  return { ...socket, close };
}

describe("connecting through the add-on", () => {
  test("to a listener whose backlog is full: it returns at once, timers run, it connects once there is room", async (t) => {
    const { path: socketPath } = socketAddress("full.sock");
    const child = spawn(
      process.execPath,
      [path.join(repoRoot, "dist", "test", "unix-fds", "full-backlog.js"), socketPath],
      { stdio: ["ignore", "pipe", "inherit"] },
    );
    t.after(() => child.kill());
    let output = "";
    child.stdout.setEncoding("utf8").on("data", (text: string) => (output += text));
    const exited = new Promise<number | null>((resolve) => child.once("exit", resolve));
    await eventually(
      () => output.includes("the listener read"),
      `the connect completes (so far: ${JSON.stringify(output)})`,
    );
    assert.equal(await exited, 0);
    assert.deepEqual(output.trim().split("\n"), [
      "returned, connecting: true",
      "timers fire while it waits",
      "connected, connecting: false",
      'the listener read "hello\\u0000"',
    ]);
  });

  test("destroying a socket that waits for room closes its fd", async (t) => {
    const { path: socketPath } = fullListener(t);
    const before = openFdCount();
    const socket = unixFds.connect(socketPath);
    assert.equal(socket.connecting, true);
    socket.destroy();
    await noFdLeak(before);
  });

  test("a listener that closes while a connect waits for room: the socket fails with ECONNREFUSED", async (t) => {
    const { path: socketPath, close } = fullListener(t);
    const socket = unixFds.connect(socketPath);
    t.after(() => socket.destroy());
    const failed = new Promise<NodeJS.ErrnoException>((resolve) => socket.once("error", resolve));
    close();
    assert.equal((await failed).code, "ECONNREFUSED");
  });

  test("a call's timeout gives up a connection that waits for room, and its fd", async (t) => {
    const { address } = fullListener(t);
    const before = openFdCount();
    const client = await SocketConnection.connect(address, { fdPassing: unixFds });
    t.after(() => client.close());
    await assert.rejects(client.call("org.example.fds.Count", {}, { timeout: 50 }), /50 ms/);
    await noFdLeak(before);
  });
});
