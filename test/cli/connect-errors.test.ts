import assert from "node:assert/strict";
import { chmodSync, mkdtempSync, rmSync } from "node:fs";
import net from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { test } from "node:test";
import { cliProcess } from "../helpers/cli.js";

// A failed connection names the address once and says why in words, for each usual reason.

function tempFolder(t: { after: (fn: () => void) => void }): string {
  const dir = mkdtempSync(path.join(tmpdir(), "varlink-ts-connect-"));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

function listenUnix(socketPath: string): Promise<net.Server> {
  return new Promise((resolve, reject) => {
    const server = net.createServer((socket) => socket.destroy());
    server.once("error", reject).listen(socketPath, () => resolve(server));
  });
}

/** The one line the CLI prints, checked for a single mention of the address. */
function assertSaidOnce(stderr: string, address: string, reason: RegExp): void {
  assert.equal(stderr.split(address).length - 1, 1, `the address appears once in: ${stderr}`);
  assert.match(stderr, reason);
  assert.doesNotMatch(stderr, /\n\s+at /, "no stack trace");
}

test("a socket path that does not exist: no such socket", async (t) => {
  const address = `unix:${path.join(tempFolder(t), "missing.sock")}`;
  const run = await cliProcess(["info", address]);
  assert.equal(run.code, 1);
  assertSaidOnce(run.stderr, address, /^varlink-ts: cannot connect to unix:\S+: no such socket\n$/);
});

test("a port nothing listens on: connection refused", async (t) => {
  const probe = net.createServer();
  await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
  const port = (probe.address() as net.AddressInfo).port;
  await new Promise((resolve) => probe.close(resolve));
  t.after(() => probe.close());
  const address = `tcp:127.0.0.1:${port}`;
  const run = await cliProcess(["info", address]);
  assert.equal(run.code, 1);
  assertSaidOnce(run.stderr, address, /: connection refused/);
});

test("a socket others may not open: permission denied", async (t) => {
  const dir = tempFolder(t);
  chmodSync(dir, 0o755);
  const socketPath = path.join(dir, "private.sock");
  const server = await listenUnix(socketPath);
  t.after(() => server.close());
  chmodSync(socketPath, 0o000);
  // root passes every permission check, so as root the CLI runs as nobody.
  const via = process.getuid?.() === 0 ? ["setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups", "--"] : [];
  const address = `unix:${socketPath}`;
  const run = await cliProcess(["info", address], { via, cwd: dir, env: { VARLINK_TS_CACHE_DIR: dir } });
  assert.equal(run.code, 1, run.stderr);
  assertSaidOnce(run.stderr, address, /: permission denied/);
});
