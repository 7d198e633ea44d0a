import assert from "node:assert/strict";
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readlinkSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { test, type TestContext } from "node:test";
import { listRegistry, registryDirectory, SocketConnection, VarlinkServer } from "@varlink-ts/runtime";
import { cliProcess } from "../helpers/cli.js";
import { socketAddress, testService } from "../helpers/runtime.js";

// The varlink registry (systemd v260): servers link their sockets into a folder made here, as
// $XDG_RUNTIME_DIR/varlink/registry, and list-registry lists them.

function runtimeDir(): { runtime: string; registry: string } {
  const runtime = mkdtempSync(path.join(tmpdir(), "varlink-ts-xdg-"));
  return { runtime, registry: path.join(runtime, "varlink", "registry") };
}

async function registeredServer(
  t: TestContext,
  registry: string,
  name = "org.example.test",
): Promise<{ server: VarlinkServer; socket: string }> {
  const server = new VarlinkServer({ logger: () => {} });
  server.addInterface(testService());
  t.after(() => server.close());
  const { address, path: socket } = socketAddress();
  await server.listen(address, { register: name, registry: { directory: registry } });
  return { server, socket };
}

test("the user's registry is in $XDG_RUNTIME_DIR, the system's in /run/varlink/registry", () => {
  assert.equal(registryDirectory("user", { XDG_RUNTIME_DIR: "/run/user/1000" }), "/run/user/1000/varlink/registry");
  assert.equal(registryDirectory("system", {}), "/run/varlink/registry");
  assert.throws(() => registryDirectory("user", {}), /XDG_RUNTIME_DIR/);
});

test("a server registers its socket as a link named after the interface", async (t) => {
  const { registry } = runtimeDir();
  const { socket } = await registeredServer(t, registry);
  assert.equal(readlinkSync(path.join(registry, "org.example.test")), socket);
  const client = await SocketConnection.connect(`unix:${path.join(registry, "org.example.test")}`);
  t.after(() => client.close());
  assert.deepEqual(await client.call("org.example.test.Echo", { value: 1 }), { value: 1 });
});

test("closing the server removes its registry entry", async (t) => {
  const { registry } = runtimeDir();
  const { server } = await registeredServer(t, registry);
  await server.close();
  assert.equal(existsSync(path.join(registry, "org.example.test")), false);
  assert.deepEqual(await listRegistry(registry), []);
});

test("a link left by a service that is gone is replaced", async (t) => {
  const { registry } = runtimeDir();
  mkdirSync(registry, { recursive: true });
  symlinkSync("/run/varlink-ts-gone.sock", path.join(registry, "org.example.test"));
  const { socket } = await registeredServer(t, registry);
  assert.equal(readlinkSync(path.join(registry, "org.example.test")), socket);
});

test("a name a running service holds is refused, and its link kept", async (t) => {
  const { registry } = runtimeDir();
  const first = await registeredServer(t, registry);
  const second = new VarlinkServer({ logger: () => {} });
  t.after(() => second.close());
  const { address } = socketAddress();
  await assert.rejects(
    second.listen(address, { register: "org.example.test", registry: { directory: registry } }),
    /leads to a service that is running/,
  );
  assert.equal(readlinkSync(path.join(registry, "org.example.test")), first.socket);
});

test("an entry that is not a link is never replaced", async (t) => {
  const { registry } = runtimeDir();
  mkdirSync(registry, { recursive: true });
  writeFileSync(path.join(registry, "org.example.test"), "someone's file");
  const server = new VarlinkServer({ logger: () => {} });
  t.after(() => server.close());
  await assert.rejects(
    server.listen(socketAddress().address, { register: "org.example.test", registry: { directory: registry } }),
    /exists and is not a link/,
  );
  assert.ok(lstatSync(path.join(registry, "org.example.test")).isFile());
});

test("a name that is not an interface name is refused", async (t) => {
  const { registry } = runtimeDir();
  const server = new VarlinkServer({ logger: () => {} });
  t.after(() => server.close());
  await assert.rejects(
    server.listen(socketAddress().address, { register: "../escape", registry: { directory: registry } }),
    /named after an interface/,
  );
  assert.equal(existsSync(path.join(registry, "..", "escape")), false);
});

test("list-registry --user lists the user's entries with their addresses", async (t) => {
  const { runtime, registry } = runtimeDir();
  const { socket } = await registeredServer(t, registry, "org.example.ftl");
  const run = await cliProcess(["list-registry", "--user"], { env: { XDG_RUNTIME_DIR: runtime } });
  assert.equal(run.code, 0, run.stderr);
  assert.match(run.stdout, new RegExp(`^org\\.example\\.ftl\\s+unix:${socket.replace(/[.]/g, "\\.")}$`, "m"));
  assert.match(run.stdout, /1 registered service listed/);
});

test("list-registry --json prints the entries for scripts", async (t) => {
  const { runtime, registry } = runtimeDir();
  const { socket } = await registeredServer(t, registry, "org.example.ftl");
  const run = await cliProcess(["list-registry", "--user", "--json=short"], { env: { XDG_RUNTIME_DIR: runtime } });
  assert.equal(run.code, 0, run.stderr);
  assert.deepEqual(JSON.parse(run.stdout), [{ interface: "org.example.ftl", entrypoint: `unix:${socket}` }]);
});

test("list-registry leaves out links to sockets that are gone", async () => {
  const { runtime, registry } = runtimeDir();
  mkdirSync(registry, { recursive: true });
  symlinkSync("/run/varlink-ts-gone.sock", path.join(registry, "org.example.gone"));
  const run = await cliProcess(["list-registry", "--user"], { env: { XDG_RUNTIME_DIR: runtime } });
  assert.equal(run.code, 0, run.stderr);
  assert.equal(run.stdout, "No services registered.\n");
});

test("list-registry --user without $XDG_RUNTIME_DIR is a usage error that says why", async () => {
  const run = await cliProcess(["list-registry", "--user"], { env: { XDG_RUNTIME_DIR: undefined } });
  assert.equal(run.code, 2);
  assert.match(run.stderr, /\$XDG_RUNTIME_DIR, which is not set/);
});

test("list-registry --system lists /run/varlink/registry, where a server registers by default", async (t) => {
  if (process.getuid?.() !== 0) return t.skip("the system registry is root's");
  const name = `org.varlinkts.test${process.pid}`;
  const server = new VarlinkServer({ logger: () => {} });
  server.addInterface(testService());
  t.after(() => server.close());
  const { address, path: socket } = socketAddress();
  await server.listen(address, { register: name });
  const run = await cliProcess(["list-registry", "--system"]);
  assert.equal(run.code, 0, run.stderr);
  assert.match(run.stdout, new RegExp(`^${name.replace(/\./g, "\\.")}\\s+unix:${socket.replace(/[.]/g, "\\.")}$`, "m"));
});
