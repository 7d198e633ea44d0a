import assert from "node:assert/strict";
import path from "node:path";
import { test } from "node:test";
import ts from "typescript";
import {
  createClient,
  implementInterface,
  VarlinkServer,
  type Client,
  type Handlers,
  type VarlinkConnection,
} from "@varlink-ts/runtime";
import { Spaceship, type SpaceshipClient, type SpaceshipHandlers } from "../generated/org.example.spaceship.js";
import { Typeforms } from "../generated/org.example.typeforms.js";
import { repoRoot } from "../helpers/paths.js";

// One descriptor per interface: the client's and the handlers' types are derived from it. The
// lines marked @ts-expect-error are assertions the compiler checks when the tests are built: if
// one of them compiled, the build would fail.

const ship: Omit<SpaceshipHandlers, "Status"> = {
  Jump: () => ({ arrived: true }),
  async *Monitor() {
    yield { condition: { state: "idle", tylium_level: 1 } };
  },
  ListCargo: () => ({ crate: { label: "x", contents: [], weight: 1, fragile: false, manifest: {}, scan: 1 } }),
  SoundAlarm: () => {},
};

/** Never called: these lines only have to compile, or fail to as marked. */
export function typeAssertions(server: VarlinkServer, connection: VarlinkConnection): void {
  // Every method needs a handler.
  // @ts-expect-error Status is missing
  server.addInterface(Spaceship, ship);
  // @ts-expect-error Status is missing
  implementInterface(Spaceship, ship);
  server.addInterface(Spaceship, ship, { partial: true });
  const { Jump, Monitor, ListCargo, SoundAlarm } = ship;
  server.addInterface(Spaceship, {
    Status: () => ({ condition: { state: "busy", tylium_level: 0 } }),
    Jump,
    Monitor,
    ListCargo,
    SoundAlarm,
  });
  // A handler's reply is checked against the method's type.
  server.addInterface(Spaceship, {
    // @ts-expect-error tylium_level must be an int (a number)
    Status: () => ({ condition: { state: "busy", tylium_level: "full" } }),
    Jump,
    Monitor,
    ListCargo,
    SoundAlarm,
  });
  // A handler's parameters are typed from the method's.
  server.addInterface(
    Spaceship,
    { Jump: ({ configuration }) => ({ arrived: configuration.speed > 9000 }) },
    { partial: true },
  );

  const client: SpaceshipClient = createClient(Spaceship, connection);
  const same: Client<typeof Spaceship> = client;
  void same;
  void client.Status().then((reply) => reply.condition.tylium_level.toFixed());
  // Monitor requires 'more': calling it gives the stream itself.
  void client.Monitor()[Symbol.asyncIterator];
  // ListCargo supports 'more'; Status does not stream, Jump cannot be upgraded.
  void client.ListCargo.more;
  // @ts-expect-error Status has no .more (the interface marks which methods stream)
  void client.Status.more;
  // @ts-expect-error Jump has no .upgrade
  void client.Jump.upgrade;
  // A method without parameters takes none: an undeclared key is an error, not sent to be refused.
  void client.Status();
  void client.Status({});
  void client.Status({}, { timeout: 1000 });
  // @ts-expect-error Status declares no parameters: timeout belongs in the options
  void client.Status({ timeout: 1000 });
  const options = { timeout: 1000 };
  // @ts-expect-error not as a variable either
  void client.Status(options);
  // @ts-expect-error nor in its oneway form
  void client.Status.oneway({ timeout: 1000 });
  // Methods with parameters keep their excess-property checks.
  // @ts-expect-error Monitor declares no timeout
  void client.Monitor({ interval: 1, timeout: 1000 });
  // A handler of a method whose reply declares no field returns none.
  server.addInterface(Spaceship, { SoundAlarm: () => ({}) }, { partial: true });
  // @ts-expect-error SoundAlarm's reply declares no field
  server.addInterface(Spaceship, { SoundAlarm: () => ({ sounded: true }) }, { partial: true });
  // @ts-expect-error not from an async handler either
  server.addInterface(Spaceship, { SoundAlarm: async () => ({ sounded: true }) }, { partial: true });
  // Typeforms' Tunnel requires 'upgrade'; MaybeTunnel supports it.
  const typeforms = createClient(Typeforms, connection);
  void typeforms.Tunnel({ protocol: "x" }).then(({ stream }) => stream);
  void typeforms.MaybeTunnel.upgrade;
  const handlers: Handlers<typeof Typeforms> | undefined = undefined;
  void handlers;
}

test("a handler left out at run time (JavaScript, or a cast) is refused when the interface is added, naming it", () => {
  const server = new VarlinkServer();
  assert.throws(
    () => server.addInterface(Spaceship, ship as SpaceshipHandlers),
    /org\.example\.spaceship: no handler for Status \(pass \{ partial: true \}/,
  );
});

test("a handler that is not a function is refused", () => {
  assert.throws(
    () => implementInterface(Spaceship, { ...ship, Status: "nope" } as never),
    /the handler of org\.example\.spaceship\.Status is not a function/,
  );
});

test("the descriptor carries the interface's name, text, modes and error classes", () => {
  assert.equal(Spaceship.name, "org.example.spaceship");
  assert.match(Spaceship.description, /^method Monitor\(interval: \?int\)/m);
  assert.deepEqual(
    Object.values(Spaceship.methods).map((m) => [m.name, m.more ?? null, m.upgrade ?? null]),
    [
      ["Status", null, null],
      ["Jump", null, null],
      ["Monitor", "requires", null],
      ["ListCargo", "supports", null],
      ["SoundAlarm", null, null],
    ],
  );
  assert.deepEqual(
    Spaceship.errors.map((e) => e.errorName),
    ["org.example.spaceship.NotEnoughEnergy", "org.example.spaceship.ParameterOutOfRange"],
  );
});

test("an editor shows a client member's type and the interface's documentation for it", () => {
  const file = path.join(repoRoot, "test/e2e/quick-info-probe.ts");
  const text = [
    'import { createClient, type VarlinkConnection } from "@varlink-ts/runtime";',
    'import { Spaceship } from "../generated/org.example.spaceship.js";',
    "declare const connection: VarlinkConnection;",
    "const ship = createClient(Spaceship, connection);",
    "ship.Monitor;",
    "",
  ].join("\n");
  const config = ts.getParsedCommandLineOfConfigFile(
    path.join(repoRoot, "test/e2e/tsconfig.json"),
    {},
    { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => {} },
  );
  const service = ts.createLanguageService({
    getScriptFileNames: () => [file],
    getScriptVersion: () => "1",
    getScriptSnapshot: (name) =>
      name === file
        ? ts.ScriptSnapshot.fromString(text)
        : ts.sys.fileExists(name)
          ? ts.ScriptSnapshot.fromString(ts.sys.readFile(name)!)
          : undefined,
    getCurrentDirectory: () => repoRoot,
    getCompilationSettings: () => config!.options,
    getDefaultLibFileName: (options) => ts.getDefaultLibFilePath(options),
    fileExists: (name) => name === file || ts.sys.fileExists(name),
    readFile: (name) => (name === file ? text : ts.sys.readFile(name)),
  });
  const info = service.getQuickInfoAtPosition(file, text.indexOf("ship.Monitor") + "ship.".length);
  assert.equal(
    ts.displayPartsToString(info?.displayParts),
    "(property) Monitor: StreamingMethod<MonitorInput, MonitorOutput>",
  );
  assert.equal(
    ts.displayPartsToString(info?.documentation),
    "Watch the drive: one reply for every change of its condition.\n[Requires 'more' flag]",
  );
  const remarks = info?.tags?.find((tag) => tag.name === "remarks");
  assert.match(ts.displayPartsToString(remarks?.text), /^Requires 'more': the replies come as a stream/);
});
