import assert from "node:assert/strict";
import { test } from "node:test";
import { AddressError, ConnectionError, HttpConnection, openConnection, SocketConnection } from "@varlink-ts/runtime";
import { startBridge } from "../helpers/bridge.js";
import { binPath } from "../helpers/cli.js";
import { startServer, testService } from "../helpers/runtime.js";

// The runtime's ways in besides a socket address: a command's stdio (as --bridge), and
// openConnection, which takes every address the CLI takes.

test("SocketConnection.overCommand speaks varlink over a command's stdin and stdout", async (t) => {
  const { server, address } = await startServer([testService()]);
  t.after(() => server.close());
  const client = await SocketConnection.overCommand(process.execPath, [
    binPath,
    "bridge",
    "stdio",
    "--service",
    `test=${address}`,
  ]);
  t.after(() => client.close());
  assert.deepEqual(await client.call("org.example.test.Echo", { value: "piped" }), { value: "piped" });
});

test("SocketConnection.overCommand says how the command ended when it dies", async (t) => {
  const client = await SocketConnection.overCommand("/bin/sh", ["-c", "echo gone >&2; exit 4"]);
  t.after(() => client.close());
  await assert.rejects(
    client.call("org.example.test.Echo", {}),
    (error: unknown) => error instanceof ConnectionError && /exited with code 4: gone/.test(error.message),
  );
});

test("SocketConnection.overCommand with a program that does not exist says so", async () => {
  await assert.rejects(
    SocketConnection.overCommand("/nonexistent/varlink-program"),
    (error: unknown) => error instanceof ConnectionError && /no such program/.test(error.message),
  );
});

test("openConnection opens a socket address as a SocketConnection", async (t) => {
  const { server, address } = await startServer([testService()]);
  t.after(() => server.close());
  const client = await openConnection(address);
  t.after(() => client.close());
  assert.ok(client instanceof SocketConnection);
  assert.deepEqual(await client.call("org.example.test.Echo", { value: 1 }), { value: 1 });
});

test("openConnection opens an http:// bridge URL as calls over HTTP", async (t) => {
  const { server, address } = await startServer([testService()]);
  t.after(() => server.close());
  const bridge = await startBridge(["--service", `test=${address}`]);
  t.after(() => bridge.stop());
  const client = await openConnection(`${bridge.url}?service=test`);
  t.after(() => client.close());
  assert.ok(client instanceof HttpConnection);
  assert.deepEqual(await client.call("org.example.test.Echo", { value: 2 }), { value: 2 });
});

test("openConnection opens a ws:// bridge URL with the service it is given", async (t) => {
  const { server, address } = await startServer([testService()]);
  t.after(() => server.close());
  const bridge = await startBridge(["--service", `test=${address}`]);
  t.after(() => bridge.stop());
  const client = await openConnection(bridge.url.replace(/^http:/, "ws:"), { service: "test" });
  t.after(() => client.close());
  const replies: unknown[] = [];
  for await (const reply of client.more("org.example.test.Count", { n: 2 })) replies.push(reply);
  assert.deepEqual(replies, [{ i: 0 }, { i: 1 }]);
});

test("openConnection refuses a ws:// URL that names no service", async () => {
  await assert.rejects(
    openConnection("ws://127.0.0.1:1"),
    (error: unknown) => error instanceof AddressError && /needs a service/.test(error.message),
  );
});
