import assert from "node:assert/strict";
import { describe, test } from "node:test";
import {
  createClient,
  InvalidParameter,
  MethodNotImplemented,
  ReplyValidationError,
  SocketConnection,
  VarlinkServer,
  type CallContext,
} from "@varlink-ts/runtime";
import {
  NotEnoughEnergy,
  Spaceship,
  ParameterOutOfRange,
  type CrewMember,
  type Crate,
  type DriveCondition,
  type SpaceshipHandlers,
} from "../generated/org.example.spaceship.js";
import { Error as TypeformsError, Typeforms } from "../generated/org.example.typeforms.js";
import { eventually, socketAddress } from "../helpers/runtime.js";

// A generated client talks to a generated server over a unix socket, through every feature of
// org.example.spaceship: nested and anonymous types, nullable fields, maps, sets, enums,
// streaming (required and supported), oneway, and errors with parameters.

const captain: CrewMember = {
  name: "Adama",
  rank: "commander",
  skills: { command: 10, "deck 4": 7 },
  badges: { valor: {}, service: {} },
  contact: { name: "Lee", channel: "wireless" },
};
const crate: Crate = {
  label: "tylium",
  contents: ["ore", "ore"],
  weight: 12.5,
  fragile: false,
  manifest: { origin: "Ragnar" },
  scan: [1, "two", null],
  dimensions: null,
};

async function start(handlers: Partial<SpaceshipHandlers>, options: { validateReplies?: boolean } = {}) {
  const server = new VarlinkServer({ logger: () => {} });
  server.addInterface(Spaceship, handlers, { partial: true });
  const { address } = socketAddress();
  await server.listen(address);
  const connection = await SocketConnection.connect(address);
  return { server, connection, client: createClient(Spaceship, connection, options) };
}

describe("generated client against generated server", () => {
  const condition: DriveCondition = { state: "spooling", tylium_level: 42 };
  const alarms: Array<{ level: string; decks: Record<string, boolean> }> = [];
  const handlers: SpaceshipHandlers = {
    Status: () => ({ condition }),
    Jump: ({ configuration, crew }) => {
      if (configuration.speed > 9000) throw new NotEnoughEnergy({ required: configuration.speed, available: 9000 });
      if (configuration.duration < 0) throw new ParameterOutOfRange({ field: "duration", limits: { min: 0, max: 60 } });
      return { arrived: true, log: crew.map((m) => `${m.rank} ${m.name} with ${Object.keys(m.badges).length} badges`) };
    },
    Monitor: async function* (_p, context: CallContext) {
      for (let level = 100; !context.signal.aborted; level--) {
        yield { condition: { state: "idle", tylium_level: level, fault: level % 2 === 0 ? null : "leak" } };
        await new Promise((resolve) => setTimeout(resolve, 1));
      }
    },
    ListCargo: async function* ({ filter }) {
      const all: Crate[] = [crate, { ...crate, label: "glass", fragile: true }, { ...crate, label: "tyres" }];
      for (const c of all) {
        if (filter?.fragile_only && !c.fragile) continue;
        if (filter?.label_prefix && !c.label.startsWith(filter.label_prefix)) continue;
        yield { crate: c };
      }
    },
    SoundAlarm: ({ level, decks }) => {
      alarms.push({ level, decks });
      return {};
    },
  };

  test("calls with nested structs, maps, sets, enums and nullable fields", async () => {
    const { server, connection, client } = await start(handlers, { validateReplies: true });
    assert.deepEqual(await client.Status(), { condition });
    const reply = await client.Jump({ configuration: { speed: 10, trajectory: 1.5, duration: 3 }, crew: [captain] });
    assert.deepEqual(reply, { arrived: true, log: ["commander Adama with 2 badges"] });
    await connection.close();
    await server.close();
  });

  test("a method that requires 'more' streams; leaving the loop stops the handler", async () => {
    const { server, client } = await start(handlers, { validateReplies: true });
    const levels: number[] = [];
    for await (const { condition: c } of client.Monitor({ interval: null })) {
      levels.push(c.tylium_level);
      if (levels.length === 5) break;
    }
    assert.deepEqual(levels, [100, 99, 98, 97, 96]);
    await eventually(() => server.connectionCount === 0, "the stream's connection closes");
    await server.close();
  });

  test("a method that supports 'more' has both forms", async () => {
    const { server, connection, client } = await start(handlers);
    assert.equal((await client.ListCargo()).crate.label, "tylium", "called plainly, the first reply");
    const labels: string[] = [];
    for await (const { crate: c } of client.ListCargo.more({ filter: { fragile_only: false, label_prefix: "t" } }))
      labels.push(c.label);
    assert.deepEqual(labels, ["tylium", "tyres"]);
    await connection.close();
    await server.close();
  });

  test("a stream that pauses after its last value, or has none, gives exactly its values", async () => {
    const pausing: SpaceshipHandlers = {
      ...handlers,
      async *ListCargo({ filter }) {
        if (filter?.label_prefix === "none") return;
        for (const label of ["tylium", "tyres"]) {
          yield { crate: { ...crate, label } };
          // The server cannot tell this value was the last: it ends the stream with an empty reply.
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
      },
    };
    const { server, connection, client } = await start(pausing, { validateReplies: true });
    const labels: string[] = [];
    for await (const { crate: c } of client.ListCargo.more({})) labels.push(c.label);
    assert.deepEqual(labels, ["tylium", "tyres"]);
    const none: unknown[] = [];
    for await (const reply of client.ListCargo.more({ filter: { fragile_only: false, label_prefix: "none" } }))
      none.push(reply);
    assert.deepEqual(none, []);
    await connection.close();
    await server.close();
  });

  test("oneway calls reach the handler", async () => {
    const { server, connection, client } = await start(handlers);
    await client.SoundAlarm.oneway({ level: "red", decks: { "4": true, "7": false } });
    await client.Status(); // answered after the oneway call, so it has run
    assert.deepEqual(alarms.at(-1), { level: "red", decks: { "4": true, "7": false } });
    await connection.close();
    await server.close();
  });

  test("errors with parameters arrive as their generated classes", async () => {
    const { server, connection, client } = await start(handlers);
    await assert.rejects(
      client.Jump({ configuration: { speed: 9001, trajectory: 0, duration: 1 }, crew: [] }),
      (error: unknown) => {
        assert.ok(error instanceof NotEnoughEnergy);
        assert.deepEqual(error.parameters, { required: 9001, available: 9000 });
        return true;
      },
    );
    await assert.rejects(
      client.Jump({ configuration: { speed: 1, trajectory: 0, duration: -1 }, crew: [] }),
      (error: unknown) => {
        assert.ok(error instanceof ParameterOutOfRange);
        assert.equal(error.parameters.limits?.max, 60);
        return true;
      },
    );
    await connection.close();
    await server.close();
  });

  test("the server validates calls: bad values and undeclared fields get InvalidParameter with their path", async () => {
    const { server, connection } = await start(handlers);
    const bad = { configuration: { speed: "12a", trajectory: 0, duration: 1 }, crew: [] };
    await assert.rejects(
      connection.call("org.example.spaceship.Jump", bad),
      (e: unknown) => e instanceof InvalidParameter && e.parameters.parameter === "configuration.speed",
    );
    const extra = { configuration: { speed: 1, trajectory: 0, duration: 1 }, crew: [], warp: true };
    await assert.rejects(
      connection.call("org.example.spaceship.Jump", extra),
      (e: unknown) => e instanceof InvalidParameter && e.parameters.parameter === "warp",
    );
    await assert.rejects(
      connection.call("org.example.spaceship.SoundAlarm", { level: "blue", decks: {} }),
      (e: unknown) => e instanceof InvalidParameter && e.parameters.parameter === "level",
    );
    await connection.close();
    await server.close();
  });

  test("a method left out of the handlers answers MethodNotImplemented", async () => {
    const { server, connection, client } = await start({ Status: handlers.Status });
    await assert.rejects(
      client.Jump({ configuration: { speed: 1, trajectory: 0, duration: 1 }, crew: [] }),
      MethodNotImplemented,
    );
    await connection.close();
    await server.close();
  });

  test("with validateReplies, a reply that breaks its type is refused with the path", async () => {
    const lying: Partial<SpaceshipHandlers> = {
      Status: () => ({ condition: { state: "warping", tylium_level: 1.5 } }) as never,
    };
    const { server, connection, client } = await start(lying, { validateReplies: true });
    await assert.rejects(client.Status(), (e: unknown) => {
      assert.ok(e instanceof ReplyValidationError);
      assert.deepEqual(
        e.issues.map((i) => i.path),
        ["condition.state", "condition.tylium_level"],
      );
      return true;
    });
    await connection.close();
    await server.close();
  });
});

describe("generated upgrade and escaped names (org.example.typeforms)", () => {
  test("a method that requires 'upgrade' hands over the stream; one that supports it has both forms", async () => {
    const server = new VarlinkServer({ logger: () => {} });
    server.addInterface(
      Typeforms,
      {
        Tunnel: ({ protocol }, context) => {
          const stream = context.upgradeConnection({});
          stream.on("data", (chunk: Buffer) => stream.write(`${protocol}:${chunk.toString()}`));
          stream.resume();
        },
        MaybeTunnel: () => ({ accepted: false }),
        Empty: () => {
          throw new TypeformsError({ code: 7 });
        },
      },
      { partial: true },
    );
    const { address } = socketAddress();
    await server.listen(address);
    const plain = createClient(Typeforms, await SocketConnection.connect(address));
    assert.deepEqual(await plain.MaybeTunnel(), { accepted: false });
    await assert.rejects(plain.Empty(), (e: unknown) => e instanceof TypeformsError && e.parameters.code === 7);
    const { parameters, stream } = await plain.Tunnel({ protocol: "echo" });
    assert.deepEqual(parameters, {});
    stream.resume();
    const echoed = new Promise<string>((resolve) => stream.once("data", (d: Buffer) => resolve(d.toString())));
    stream.write("hi");
    assert.equal(await echoed, "echo:hi");
    stream.destroy();
    await server.close({ timeout: 100 });
  });
});
