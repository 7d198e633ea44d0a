import assert from "node:assert/strict";
import { chmodSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { binPath, cli, cliProcess } from "../helpers/cli.js";
import { repoRoot } from "../helpers/paths.js";
import { startServer, testService, type TestServer } from "../helpers/runtime.js";

// varlinkctl's verbs and call flags, on the built binary against a runtime service.

describe("varlinkctl's verbs and flags", () => {
  let service: TestServer;
  before(async () => {
    service = await startServer([testService()]);
  });
  after(() => service.server.close());

  /** `varlink-ts bridge stdio` in front of the test service: a --bridge command. */
  const stdioBridge = (): string => `${process.execPath} ${binPath} bridge stdio --service test=${service.address}`;

  test("list-interfaces prints one interface per line", async () => {
    const run = await cliProcess(["list-interfaces", service.address]);
    assert.equal(run.code, 0, run.stderr);
    assert.equal(run.stdout, "org.varlink.service\norg.example.test\n");
  });

  test("list-methods prints every method of every interface, fully qualified", async () => {
    const run = await cliProcess(["list-methods", service.address]);
    assert.equal(run.code, 0, run.stderr);
    const methods = run.stdout.trim().split("\n");
    assert.ok(methods.includes("org.varlink.service.GetInfo"));
    assert.ok(methods.includes("org.example.test.Echo"));
  });

  test("list-methods with interfaces named prints only theirs", async () => {
    const run = await cliProcess(["list-methods", service.address, "org.example.test"]);
    assert.equal(run.code, 0, run.stderr);
    assert.equal(
      run.stdout,
      ["Echo", "Slow", "Count", "Forever", "Fail", "Big", "Notify", "Shout", "Unimplemented"]
        .map((m) => `org.example.test.${m}\n`)
        .join(""),
    );
  });

  test("list-methods --json groups the methods by interface", async () => {
    const run = await cliProcess(["list-methods", "--json", "short", service.address, "org.example.test"]);
    assert.equal(run.code, 0, run.stderr);
    assert.deepEqual(Object.keys(JSON.parse(run.stdout) as object), ["org.example.test"]);
  });

  test("validate-idl is check under varlinkctl's name", async () => {
    const good = await cliProcess([
      "validate-idl",
      path.join(repoRoot, "fixtures/interfaces/org.example.spaceship.varlink"),
    ]);
    assert.equal(good.code, 0, good.stderr);
    const dir = mkdtempSync(path.join(tmpdir(), "varlink-ts-validate-"));
    writeFileSync(path.join(dir, "bad.varlink"), "interface org.example.bad\nmethod M() -> (x: Nope)\n");
    const bad = await cliProcess(["validate-idl", path.join(dir, "bad.varlink")]);
    assert.equal(bad.code, 1);
    assert.match(bad.stdout, /unknown type 'Nope'/);
  });

  test("call --collect prints all the replies as one JSON array", async () => {
    const run = await cliProcess([
      "call",
      "--collect",
      "--json",
      "short",
      service.address,
      "org.example.test.Count",
      '{"n": 3}',
    ]);
    assert.equal(run.code, 0, run.stderr);
    assert.equal(run.stdout, '[{"i":0},{"i":1},{"i":2}]\n');
  });

  test("call --more on a terminal prints each reply as plain JSON", async () => {
    const run = await cli(
      ["call", "--more", "--json", "short", service.address, "org.example.test.Count", '{"n": 2}'],
      { cwd: repoRoot, terminal: true },
    );
    assert.equal(run.code, 0, run.stderr);
    assert.equal(run.stdout, '{"i":0}\n{"i":1}\n');
  });

  test("call -E streams the replies like --more", async () => {
    const run = await cliProcess([
      "call",
      "-E",
      "--json",
      "short",
      service.address,
      "org.example.test.Count",
      '{"n": 2}',
    ]);
    assert.equal(run.code, 0, run.stderr);
    assert.equal(run.stdout, '\u001e{"i":0}\n\u001e{"i":1}\n');
  });

  test("call -E with --timeout is refused: -E means no timeout", async () => {
    const run = await cliProcess([
      "call",
      "-E",
      "--timeout",
      "5",
      service.address,
      "org.example.test.Count",
      '{"n": 2}',
    ]);
    assert.equal(run.code, 2);
    assert.match(run.stderr, /-E already means --timeout=infinity/);
  });

  test("call --graceful=ERROR exits 0 on that error and prints nothing", async () => {
    const run = await cliProcess([
      "call",
      "--graceful=org.example.test.Custom",
      service.address,
      "org.example.test.Fail",
      '{"kind": "declared"}',
    ]);
    assert.equal(run.code, 0, run.stderr);
    assert.equal(run.stdout + run.stderr, "");
  });

  test("call --graceful takes several errors, and any other still fails", async () => {
    const run = await cliProcess([
      "call",
      "--graceful=org.varlink.service.MethodNotFound",
      "--graceful=org.example.test.Custom",
      service.address,
      "org.example.test.Fail",
      '{"kind": "denied"}',
    ]);
    assert.equal(run.code, 1);
    assert.match(run.stderr, /org\.varlink\.service\.PermissionDenied/);
  });

  test("call -q prints no reply", async () => {
    const run = await cliProcess(["call", "-q", service.address, "org.example.test.Echo", '{"value": 1}']);
    assert.equal(run.code, 0, run.stderr);
    assert.equal(run.stdout, "");
  });

  test("call -q on an error reply prints nothing and exits 1", async () => {
    const run = await cliProcess(["call", "-q", service.address, "org.example.test.Fail", '{"kind": "declared"}']);
    assert.equal(run.code, 1);
    assert.equal(run.stdout + run.stderr, "");
  });

  test("call --timeout=infinity waits for a slow reply", async () => {
    const run = await cliProcess([
      "call",
      "--timeout=infinity",
      service.address,
      "org.example.test.Slow",
      '{"ms": 300}',
    ]);
    assert.equal(run.code, 0, run.stderr);
    assert.equal(run.stdout, "{}\n");
  });

  test("--timeout that is not a positive number or infinity is a usage error", async () => {
    const run = await cliProcess(["call", "--timeout=soon", service.address, "org.example.test.Echo"]);
    assert.equal(run.code, 2);
    assert.match(run.stderr, /--timeout takes a positive number of seconds or 'infinity' \(got 'soon'\)/);
  });

  test("-j prints one-line JSON when the output is not a terminal", async () => {
    const run = await cliProcess(["call", "-j", service.address, "org.example.test.Echo", '{"value": [1]}']);
    assert.equal(run.stdout, '{"value":[1]}\n');
  });

  test("call --bridge CMD speaks varlink over the command's stdin and stdout", async () => {
    const run = await cliProcess(["call", "--bridge", stdioBridge(), "org.example.test.Echo", '{"value": "bridged"}']);
    assert.equal(run.code, 0, run.stderr);
    assert.deepEqual(JSON.parse(run.stdout), { value: "bridged" });
  });

  test("list-methods --bridge CMD takes the interfaces where ADDRESS would be", async () => {
    const run = await cliProcess(["list-methods", "--bridge", stdioBridge(), "org.varlink.service"]);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /^org\.varlink\.service\.GetInterfaceDescription$/m);
    assert.doesNotMatch(run.stdout, /org\.example\.test/);
  });

  test("a --bridge command that fails says how it ended", async () => {
    const run = await cliProcess(["info", "--bridge", "echo no varlink here >&2; exit 3"]);
    assert.equal(run.code, 1);
    assert.match(run.stderr, /exited with code 3: no varlink here/);
  });

  test("a plain path starting with ./ is a socket, as varlinkctl takes it", async () => {
    const run = await cliProcess(
      ["call", `./${path.basename(service.path)}`, "org.example.test.Echo", '{"value": 2}'],
      { cwd: path.dirname(service.path) },
    );
    assert.equal(run.code, 0, run.stderr);
    assert.deepEqual(JSON.parse(run.stdout), { value: 2 });
  });

  test("a plain path to a file that is neither a socket nor a program is refused with that reason", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "varlink-ts-path-"));
    const file = path.join(dir, "notes.txt");
    writeFileSync(file, "not a service");
    chmodSync(file, 0o644);
    const run = await cliProcess(["info", file]);
    assert.equal(run.code, 1);
    assert.match(run.stderr, /notes\.txt: it is neither a socket nor an executable/);
  });
});
