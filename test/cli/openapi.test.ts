import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { parseInterface, toInterfaceModel } from "../../src/idl/index.js";
import { openApiDocument } from "../../src/openapi/index.js";
import { startBridge, type BridgeProcess } from "../helpers/bridge.js";
import { cliProcess } from "../helpers/cli.js";
import { fixturesDir } from "../helpers/paths.js";
import { startServer, testInterfaceText, testService, type TestServer } from "../helpers/runtime.js";

// OpenAPI from the command line (`varlink-ts openapi`) and from the bridge (/openapi/SERVICE/INTERFACE):
// the same document for the same interface.

const spaceshipFile = path.join(fixturesDir, "interfaces", "org.example.spaceship.varlink");

describe("varlink-ts openapi", () => {
  test("prints the interface's OpenAPI document", async () => {
    const run = await cliProcess(["openapi", spaceshipFile]);
    assert.equal(run.code, 0, run.stderr);
    const expected = openApiDocument([
      toInterfaceModel(parseInterface(readFileSync(spaceshipFile, "utf8")).definition!),
    ]);
    assert.deepEqual(JSON.parse(run.stdout), expected);
  });

  test("--service and --server shape the paths and the server", async () => {
    const run = await cliProcess([
      "openapi",
      spaceshipFile,
      "--service",
      "ship",
      "--server",
      "http://127.0.0.1:8080/varlink",
    ]);
    const document = JSON.parse(run.stdout) as { servers: unknown; paths: object };
    assert.deepEqual(document.servers, [{ url: "http://127.0.0.1:8080/varlink" }]);
    assert.ok("/call/ship/org.example.spaceship.Jump" in document.paths);
  });

  test("a file with errors prints its diagnostics, no document, and exits 1", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "varlink-ts-openapi-"));
    writeFileSync(path.join(dir, "bad.varlink"), "interface org.example.bad\nmethod M(x: Nope) -> ()\n");
    const run = await cliProcess(["openapi", path.join(dir, "bad.varlink")]);
    assert.equal(run.code, 1);
    assert.equal(run.stdout, "");
    assert.match(run.stderr, /Nope/);
  });
});

describe("the bridge's OpenAPI route", () => {
  let service: TestServer;
  let bridge: BridgeProcess;
  let interfaceFile = "";
  before(async () => {
    service = await startServer([testService()]);
    bridge = await startBridge(["--service", `test=${service.address}`, "--base", "/varlink"]);
    interfaceFile = path.join(mkdtempSync(path.join(tmpdir(), "varlink-ts-openapi-")), "org.example.test.varlink");
    writeFileSync(interfaceFile, testInterfaceText);
  });
  after(async () => {
    await bridge.stop();
    await service.server.close();
  });

  test("GET /openapi/SERVICE/INTERFACE is what `varlink-ts openapi` prints for that service", async () => {
    const response = await fetch(`${bridge.url}/openapi/test/org.example.test`);
    assert.equal(response.status, 200);
    const offline = await cliProcess(["openapi", interfaceFile, "--service", "test", "--server", "/varlink"]);
    assert.deepEqual(await response.json(), JSON.parse(offline.stdout));
  });

  test("an interface the service does not have is its InterfaceNotFound, 404", async () => {
    const response = await fetch(`${bridge.url}/openapi/test/org.example.other`);
    assert.equal(response.status, 404);
    assert.equal(((await response.json()) as { error: string }).error, "org.varlink.service.InterfaceNotFound");
  });

  test("a route without an interface is 404", async () => {
    assert.equal((await fetch(`${bridge.url}/openapi/test`)).status, 404);
  });
});
