import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { closeSync } from "node:fs";
import path from "node:path";
import { describe, test } from "node:test";
import { fdsOf, SocketConnection, VarlinkServer } from "@varlink-ts/runtime";
import { unixFds } from "@varlink-ts/unix-fds";
import { fdsService, fileWith, noFdLeak, openFdCount, readAll } from "../helpers/fds.js";
import { repoRoot } from "../helpers/paths.js";
import { eventually, socketAddress } from "../helpers/runtime.js";

// A peer that is not us: Python's standard library (socket.send_fds/recv_fds) as a varlink client
// and server that pass fds (test/unix-fds/peer.py), against our server and our client.

const peer = path.join(repoRoot, "test", "unix-fds", "peer.py");

function runPeer(args: string[]): {
  output: () => string;
  errors: () => string;
  exited: Promise<number | null>;
  kill: () => void;
} {
  const child = spawn("python3", [peer, ...args], { stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  let errors = "";
  child.stdout.setEncoding("utf8").on("data", (text: string) => (output += text));
  child.stderr.setEncoding("utf8").on("data", (text: string) => (errors += text));
  const exited = new Promise<number | null>((resolve) => child.once("exit", resolve));
  return { output: () => output, errors: () => errors, exited, kill: () => child.kill() };
}

describe("fd passing with Python's standard library as the peer", () => {
  test("Python's call brings a pipe our handler reads; our reply brings a file Python reads", async (t) => {
    const server = new VarlinkServer({ fdPassing: unixFds, logger: () => {} });
    server.addInterface(fdsService());
    const { address, path: socketPath } = socketAddress("python.sock");
    await server.listen(address);
    t.after(() => server.close({ timeout: 0 }));
    const python = runPeer(["client", socketPath]);
    t.after(python.kill);
    assert.equal(await python.exited, 0, python.errors());
    assert.equal(python.output(), "written by python into a pipe\nsent to python\n");
  });

  test("our call brings a file Python reads; Python's reply brings a pipe we read", async (t) => {
    const { address, path: socketPath } = socketAddress("python-server.sock");
    const python = runPeer(["server", socketPath]);
    t.after(python.kill);
    await eventually(() => python.output().includes("listening"), "the Python server listens");
    const client = await SocketConnection.connect(address, { fdPassing: unixFds });
    t.after(() => client.close());
    const before = openFdCount();
    const file = fileWith("read by python from our file");
    assert.deepEqual(await client.call("org.example.fds.Read", { fd: 0 }, { fds: [file] }), {
      text: "read by python from our file",
    });
    closeSync(file);
    const reply = await client.call("org.example.fds.Open", { text: "through python's pipe" });
    const pipe = fdsOf(reply)!.take(reply["fd"] as number);
    assert.equal(readAll(pipe), "through python's pipe");
    closeSync(pipe);
    await noFdLeak(before);
  });
});
