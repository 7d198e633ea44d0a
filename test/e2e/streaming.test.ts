import assert from "node:assert/strict";
import { describe, test, type TestContext } from "node:test";
import { createClient, implementInterface, SocketConnection } from "@varlink-ts/runtime";
import { Spaceship, type Crate, type SpaceshipHandlers } from "../generated/org.example.spaceship.js";
import { eventually, RawConnection, startServer } from "../helpers/runtime.js";

// What the wire carries for a handler that streams with 'more', and what the typed client makes
// of it. A value is held back only until the next one exists, so the last one carries no
// `continues`; a handler that pauses after a value cannot be known to be done, so that value
// goes out with `continues` and, if the handler then ends without returning a value, an empty
// reply ends the stream. A returned value is the final reply.

const crate = (label: string): Crate => ({ label, contents: [], weight: 1, fragile: false, manifest: {}, scan: 0 });
const pause = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 20));

async function serve(t: TestContext, listCargo: SpaceshipHandlers["ListCargo"]): Promise<string> {
  const service = await startServer([implementInterface(Spaceship, { ListCargo: listCargo }, { partial: true })]);
  t.after(() => service.server.close());
  return service.path;
}

/** The replies to one ListCargo call with 'more', as raw messages. */
async function wire(t: TestContext, socketPath: string): Promise<unknown[]> {
  const raw = await RawConnection.open(socketPath);
  t.after(() => raw.socket.destroy());
  raw.send('{"method":"org.example.spaceship.ListCargo","more":true}\0');
  await eventually(() => raw.messages.some((m) => (m as { continues?: boolean }).continues !== true), "the last reply");
  return raw.messages;
}

async function typed(t: TestContext, socketPath: string): Promise<string[]> {
  const connection = await SocketConnection.connect(`unix:${socketPath}`);
  t.after(() => connection.close());
  const labels: string[] = [];
  for await (const { crate } of createClient(Spaceship, connection, { validateReplies: true }).ListCargo.more())
    labels.push(crate.label);
  return labels;
}

describe("a handler that yields, waits and ends without returning", () => {
  const handler: SpaceshipHandlers["ListCargo"] = async function* () {
    yield { crate: crate("tylium") };
    await pause();
  };

  test("the wire carries the value with 'continues', then an empty last reply", async (t) => {
    assert.deepEqual(await wire(t, await serve(t, handler)), [
      { parameters: { crate: crate("tylium") }, continues: true },
      { parameters: {} },
    ]);
  });

  test("the typed client yields the value only: the empty reply is not of the reply type", async (t) => {
    assert.deepEqual(await typed(t, await serve(t, handler)), ["tylium"]);
  });
});

describe("a handler that yields, waits and returns its final reply", () => {
  const handler: SpaceshipHandlers["ListCargo"] = async function* () {
    yield { crate: crate("tylium") };
    await pause();
    return { crate: crate("tyres") };
  };

  test("the wire carries the returned value as the last reply", async (t) => {
    assert.deepEqual(await wire(t, await serve(t, handler)), [
      { parameters: { crate: crate("tylium") }, continues: true },
      { parameters: { crate: crate("tyres") } },
    ]);
  });

  test("the typed client yields both values", async (t) => {
    assert.deepEqual(await typed(t, await serve(t, handler)), ["tylium", "tyres"]);
  });
});

describe("a handler that yields without waiting", () => {
  const handler: SpaceshipHandlers["ListCargo"] = async function* () {
    yield { crate: crate("tylium") };
    yield { crate: crate("tyres") };
  };

  test("the wire carries no empty reply: the last value is the last reply", async (t) => {
    assert.deepEqual(await wire(t, await serve(t, handler)), [
      { parameters: { crate: crate("tylium") }, continues: true },
      { parameters: { crate: crate("tyres") } },
    ]);
  });
});

describe("a handler that yields nothing", () => {
  // biome-ignore lint/correctness/useYield: the handler under test yields nothing on purpose
  const handler: SpaceshipHandlers["ListCargo"] = async function* () {
    await pause();
  };

  test("the wire carries one empty reply", async (t) => {
    assert.deepEqual(await wire(t, await serve(t, handler)), [{ parameters: {} }]);
  });

  test("the typed client yields nothing", async (t) => {
    assert.deepEqual(await typed(t, await serve(t, handler)), []);
  });
});
