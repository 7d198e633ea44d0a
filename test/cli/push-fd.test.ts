import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { closeSync, mkdtempSync, openSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, test, type TestContext } from "node:test";
import { VarlinkServer } from "@varlink-ts/runtime";
import { unixFds } from "@varlink-ts/unix-fds";
import { binPath, cliProcess } from "../helpers/cli.js";
import { fdsService } from "../helpers/fds.js";
import { socketAddress } from "../helpers/runtime.js";

// varlink-ts call --push-fd, as varlinkctl has it: files or open fds sent with the call, by index.

async function serve(t: TestContext): Promise<string> {
  const server = new VarlinkServer({ fdPassing: unixFds, logger: () => {} });
  server.addInterface(fdsService());
  const { address } = socketAddress("push.sock");
  await server.listen(address);
  t.after(() => server.close({ timeout: 0 }));
  return address;
}

function fileHolding(text: string): string {
  const file = path.join(mkdtempSync(path.join(tmpdir(), "varlink-ts-push-")), "file.txt");
  writeFileSync(file, text);
  return file;
}

/** `varlink-ts ARGS` with `file` open as its fd 3, as a shell's `3<FILE` starts it. */
async function withFd3(
  t: TestContext,
  file: string,
  args: string[],
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const fd = openSync(file, "r");
  t.after(() => closeSync(fd));
  const child = spawn(process.execPath, [binPath, ...args], { stdio: ["ignore", "pipe", "pipe", fd] });
  let stdout = "";
  let stderr = "";
  child.stdout!.setEncoding("utf8").on("data", (text: string) => (stdout += text));
  child.stderr!.setEncoding("utf8").on("data", (text: string) => (stderr += text));
  const code = await new Promise<number | null>((resolve) => child.once("close", resolve));
  return { code, stdout, stderr };
}

describe("call --push-fd", () => {
  test("files named with --push-fd go with the call, indexed in order", async (t) => {
    const address = await serve(t);
    const run = await cliProcess([
      "call",
      "--push-fd",
      fileHolding("first"),
      "--push-fd",
      fileHolding("second"),
      address,
      "org.example.fds.Count",
    ]);
    assert.equal(run.code, 0, run.stderr);
    assert.deepEqual(JSON.parse(run.stdout), { count: 2, texts: ["first", "second"] });
  });

  test("a number is an fd the command has open (as a shell's 3<file gives it)", async (t) => {
    const address = await serve(t);
    const run = await withFd3(t, fileHolding("through fd 3"), [
      "call",
      "--push-fd=3",
      address,
      "org.example.fds.Read",
      '{"fd": 0}',
    ]);
    assert.equal(run.code, 0, run.stderr);
    assert.deepEqual(JSON.parse(run.stdout), { text: "through fd 3" });
  });

  test("what is sent is said on standard error: the index, the fd and what it is", async (t) => {
    const address = await serve(t);
    const file = fileHolding("named");
    const run = await withFd3(t, file, ["call", "--push-fd=3", address, "org.example.fds.Read", '{"fd": 0}']);
    assert.equal(run.code, 0, run.stderr);
    assert.equal(run.stderr, `sending 1 file descriptor(s): 0: fd 3 (${file})\n`);
  });

  test("an fd the shell did not pass (npx passes none above 2) is refused: it would be varlink-ts's own", async (t) => {
    const address = await serve(t);
    // Started with fds 0, 1 and 2 only, as npx starts the binary: fd 3 is then Node's own.
    const run = await cliProcess(["call", "--push-fd=3", address, "org.example.fds.Read", '{"fd": 0}']);
    assert.equal(run.code, 2);
    assert.match(
      run.stderr,
      /^varlink-ts: --push-fd 3: fd 3 is not one the shell passed but varlink-ts's own \(.+\); give a file instead \(--push-fd FILE\), or run the varlink-ts binary directly/,
    );
  });

  test("an fd that is not open is refused", async (t) => {
    const address = await serve(t);
    const run = await cliProcess(["call", "--push-fd=999", address, "org.example.fds.Read", '{"fd": 0}']);
    assert.equal(run.code, 2);
    assert.match(run.stderr, /--push-fd 999: fd 999 is not open in this command; give a file instead/);
  });

  test("a plain call names the fds its reply carries (the add-on is installed)", async (t) => {
    const address = await serve(t);
    const run = await cliProcess(["call", address, "org.example.fds.Open", '{"text": "y"}']);
    assert.equal(run.code, 0, run.stderr);
    assert.deepEqual(JSON.parse(run.stdout), { fd: 0 });
    assert.equal(run.stderr, "the reply carried 1 file descriptor(s): 0\n");
  });

  test("a reply's fds are named by index on standard error", async (t) => {
    const address = await serve(t);
    const run = await cliProcess([
      "call",
      "--push-fd",
      fileHolding("x"),
      address,
      "org.example.fds.Open",
      '{"text": "y"}',
    ]);
    assert.equal(run.code, 0, run.stderr);
    assert.deepEqual(JSON.parse(run.stdout), { fd: 0 });
    assert.match(run.stderr, /^the reply carried 1 file descriptor\(s\): 0$/m);
  });

  test("a file that does not exist is a usage error, nothing is called", async (t) => {
    const address = await serve(t);
    const run = await cliProcess(["call", "--push-fd", "/no/such/file", address, "org.example.fds.Count"]);
    assert.equal(run.code, 2);
    assert.match(run.stderr, /--push-fd \/no\/such\/file: no such file/);
  });

  test("over a connection that cannot pass fds (tcp) the call fails saying so", async (t) => {
    const server = new VarlinkServer({ logger: () => {} });
    server.addInterface(fdsService());
    await server.listen("tcp:127.0.0.1:0");
    t.after(() => server.close({ timeout: 0 }));
    const run = await cliProcess([
      "call",
      "--push-fd",
      fileHolding("x"),
      server.addresses[0]!,
      "org.example.fds.Count",
    ]);
    assert.equal(run.code, 1, run.stderr);
    assert.match(run.stderr, /cannot pass file descriptors/);
  });
});
