import assert from "node:assert/strict";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, test } from "node:test";
import { connect, createClient, VarlinkServer, type SocketConnection } from "@varlink-ts/runtime";
import { EmptyName, Greeter, type GreeterClient } from "../src/generated/org.example.greeter.js";
import { greeterService } from "../src/service.js";

let server: VarlinkServer;
let connection: SocketConnection;
let client: GreeterClient;

before(async () => {
  const address = `unix:${path.join(mkdtempSync(path.join(tmpdir(), "greeter-")), "greeter.sock")}`;
  server = new VarlinkServer();
  server.addInterface(greeterService);
  await server.listen(address);
  connection = await connect(address);
  client = createClient(Greeter, connection, { validateReplies: true });
});

after(async () => {
  await connection.close();
  await server.close();
});

test("Greet greets, in the language and style asked", async () => {
  assert.deepEqual(await client.Greet({ name: "Ada" }), { greeting: "Hello, Ada!" });
  assert.deepEqual(await client.Greet({ name: "Ada", style: { loud: true, language: "de" } }), {
    greeting: "HALLO, ADA!",
  });
});

test("an empty name is an EmptyName error", async () => {
  await assert.rejects(client.Greet({ name: "" }), (error) => error instanceof EmptyName);
});

test("Countdown streams every number down to 1, each reply of its declared type", async () => {
  // Read on the raw connection: every reply must carry `remaining`, the last one too.
  const replies: unknown[] = [];
  for await (const reply of connection.more("org.example.greeter.Countdown", { from: 3 })) replies.push(reply);
  assert.deepEqual(replies, [{ remaining: 3 }, { remaining: 2 }, { remaining: 1 }]);
});

test("parameters are validated before the handler runs", async () => {
  await assert.rejects(connection.call("org.example.greeter.Greet", { name: 42 }), /InvalidParameter/);
});
