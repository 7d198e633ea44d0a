import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { cliProcess } from "../helpers/cli.js";
import { startServer, testInterfaceText, testService, type TestServer, type TestState } from "../helpers/runtime.js";
import { startUserdbd, userdbAddress, userdbService, type Userdbd } from "../helpers/userdbd.js";

// info, introspect, call and generate --from, run as subprocesses against a live service.

describe("talking to a service from the command line", () => {
  const state: TestState = { started: 0, running: 0, notified: [] };
  let service: TestServer;
  before(async () => {
    service = await startServer([testService(state)], { product: "test-service" });
  });
  after(() => service.server.close());

  test("info prints GetInfo as JSON", async () => {
    const run = await cliProcess(["info", service.address]);
    assert.equal(run.code, 0, run.stderr);
    const info = JSON.parse(run.stdout) as { interfaces: string[] };
    assert.deepEqual(info.interfaces, ["org.varlink.service", "org.example.test"]);
  });

  test("introspect prints the interface text, one or all", async () => {
    const one = await cliProcess(["introspect", service.address, "org.example.test"]);
    assert.equal(one.code, 0, one.stderr);
    assert.equal(one.stdout, testInterfaceText);
    const all = await cliProcess(["introspect", service.address]);
    assert.match(all.stdout, /^interface org\.varlink\.service$/m);
    assert.ok(all.stdout.endsWith(testInterfaceText));
    const missing = await cliProcess(["introspect", service.address, "org.example.nothing"]);
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /org\.varlink\.service\.InterfaceNotFound/);
    assert.match(missing.stderr, /"interface": "org\.example\.nothing"/);
  });

  test("call: parameters from the argument or standard input, the reply as JSON", async () => {
    const fromArgument = await cliProcess([
      "call",
      service.address,
      "org.example.test.Echo",
      '{"value": {"a": [1, "two"]}}',
    ]);
    assert.equal(fromArgument.code, 0, fromArgument.stderr);
    assert.deepEqual(JSON.parse(fromArgument.stdout), { value: { a: [1, "two"] } });
    const fromStdin = await cliProcess(["call", service.address, "org.example.test.Echo", "-", "--json", "short"], {
      stdin: '{"value": 7}',
    });
    assert.equal(fromStdin.stdout, '{"value":7}\n');
  });

  test("call --more into a pipe prints each reply as a JSON-SEQ record (RFC 7464), as varlinkctl", async () => {
    const run = await cliProcess([
      "call",
      "--more",
      "--json",
      "short",
      service.address,
      "org.example.test.Count",
      '{"n": 3}',
    ]);
    assert.equal(run.code, 0, run.stderr);
    assert.equal(run.stdout, '\u001e{"i":0}\n\u001e{"i":1}\n\u001e{"i":2}\n');
  });

  test("call --oneway sends and waits for nothing", async () => {
    const run = await cliProcess([
      "call",
      "--oneway",
      service.address,
      "org.example.test.Notify",
      '{"text": "from the shell"}',
    ]);
    assert.equal(run.code, 0, run.stderr);
    assert.equal(run.stdout, "");
    assert.ok(state.notified.includes("from the shell"));
  });

  test("error replies name the error and its parameters, and exit 1", async () => {
    const run = await cliProcess(["call", service.address, "org.example.test.NoSuchMethod"]);
    assert.equal(run.code, 1);
    assert.match(run.stderr, /org\.example\.test\.NoSuchMethod failed: org\.varlink\.service\.MethodNotFound/);
    assert.deepEqual(JSON.parse(run.stderr.slice(run.stderr.indexOf("{"), run.stderr.indexOf("}") + 1)), {
      method: "org.example.test.NoSuchMethod",
    });
    assert.match(run.stderr, /^org\.example\.test has no method NoSuchMethod; it has Echo, Slow, /m);
  });

  test("--timeout gives up on a slow call", async () => {
    const run = await cliProcess([
      "call",
      "--timeout",
      "0.2",
      service.address,
      "org.example.test.Slow",
      '{"ms": 10000}',
    ]);
    assert.equal(run.code, 1);
    assert.match(run.stderr, /no reply within 200 ms/);
  });

  test("bad input is refused with a reason, before connecting", async () => {
    const badJson = await cliProcess(["call", service.address, "org.example.test.Echo", "{value: 1}"]);
    assert.equal(badJson.code, 2);
    assert.match(badJson.stderr, /the parameters argument is not valid JSON/);
    const notObject = await cliProcess(["call", service.address, "org.example.test.Echo", "[1]"]);
    assert.match(notObject.stderr, /must be a JSON object/);
    const badMethod = await cliProcess(["call", service.address, "Echo"]);
    assert.match(badMethod.stderr, /'Echo' is not a method name/);
    const nowhere = await cliProcess(["info", "unix:/nonexistent/varlink.sock"]);
    assert.equal(nowhere.code, 1);
    assert.match(nowhere.stderr, /cannot connect to unix:\/nonexistent\/varlink\.sock: no such socket/);
    const badAddress = await cliProcess(["info", "nowhere.sock"]);
    assert.equal(badAddress.code, 2, "a usage error, as docs/cli.md's exit codes say");
    assert.match(badAddress.stderr, /invalid varlink address/);
  });

  test("generate --from writes what generating from the same text in a file writes, but for its header", async () => {
    const cwd = mkdtempSync(path.join(tmpdir(), "varlink-ts-from-"));
    const run = await cliProcess(
      ["generate", "--from", service.address, "--interface", "org.example.test", "--out", "live"],
      { cwd },
    );
    assert.equal(run.code, 0, run.stderr);
    writeFileSync(path.join(cwd, "org.example.test.varlink"), testInterfaceText);
    assert.equal((await cliProcess(["generate", "org.example.test.varlink", "--out", "files"], { cwd })).code, 0);
    const withoutHeader = (file: string): string => file.slice(file.indexOf("\n"));
    for (const file of ["org.example.test.ts", "index.ts"]) {
      assert.equal(
        withoutHeader(readFileSync(path.join(cwd, "live", file), "utf8")),
        withoutHeader(readFileSync(path.join(cwd, "files", file), "utf8")),
      );
    }
    const all = await cliProcess(["generate", "--from", service.address, "--out", "all"], { cwd });
    assert.equal(all.code, 0, all.stderr);
    assert.match(all.stderr, /introspected org\.example\.test$/m, "org.varlink.service is left out unless named");
  });

  test("code from generate --from names the service and its address, not a file", async () => {
    const cwd = mkdtempSync(path.join(tmpdir(), "varlink-ts-from-"));
    const run = await cliProcess(["generate", "--from", service.address, "--out", "live"], { cwd });
    assert.equal(run.code, 0, run.stderr);
    const first = (file: string): string => readFileSync(path.join(cwd, "live", file), "utf8").split("\n")[0]!;
    assert.equal(
      first("org.example.test.ts"),
      `// Code generated by varlink-ts from org.example.test, as test-service at ${service.address} describes it. DO NOT EDIT.`,
    );
    assert.equal(
      first("index.ts"),
      `// Code generated by varlink-ts from org.example.test, as test-service at ${service.address} describes it. DO NOT EDIT.`,
    );
  });
});

describe("the command line against systemd-userdbd", () => {
  let daemon: Userdbd;
  before(async () => {
    daemon = await startUserdbd();
  });
  after(() => daemon.stop());

  test("a call, a streamed call and errors", async (t) => {
    if (daemon.unavailable) return t.skip(daemon.unavailable);
    // systemd 252's multiplexer does not implement org.varlink.service; info says so plainly.
    const info = await cliProcess(["info", userdbAddress]);
    assert.equal(info.code, 1);
    assert.match(info.stderr, /GetInfo failed: org\.varlink\.service\.MethodNotImplemented/);
    const root = await cliProcess([
      "call",
      userdbAddress,
      "io.systemd.UserDatabase.GetUserRecord",
      JSON.stringify({ userName: "root", service: userdbService }),
    ]);
    assert.equal(root.code, 0, root.stderr);
    assert.equal((JSON.parse(root.stdout) as { record: { uid: number } }).record.uid, 0);
    const memberships = await cliProcess([
      "call",
      "--more",
      "--json",
      "short",
      userdbAddress,
      "io.systemd.UserDatabase.GetMemberships",
      JSON.stringify({ service: userdbService }),
    ]);
    assert.equal(memberships.code, 0, memberships.stderr);
    for (const line of memberships.stdout.split("\u001e").filter((l) => l !== ""))
      assert.equal(typeof (JSON.parse(line) as { groupName: string }).groupName, "string");
    const none = await cliProcess([
      "call",
      userdbAddress,
      "io.systemd.UserDatabase.GetUserRecord",
      JSON.stringify({ userName: "no-such-user-varlink-ts", service: userdbService }),
    ]);
    assert.equal(none.code, 1);
    assert.match(none.stderr, /failed: io\.systemd\.UserDatabase\.NoRecordFound/);
  });
});
