import assert from "node:assert/strict";
import { mkdtempSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { readInterface } from "@varlink-ts/runtime/model";
import type { ExplorerModel } from "../../src/explorer/model.js";
import { startBridge, type BridgeProcess } from "../helpers/bridge.js";
import { cliProcess } from "../helpers/cli.js";
import { statedInDocs } from "../helpers/docs.js";
import { fixturesDir, repoRoot } from "../helpers/paths.js";
import { startServer, testInterfaceText, testService, type TestServer } from "../helpers/runtime.js";

// The explorer's routes over plain HTTP: what is served to whom, with which headers, and the
// model the page reads. (The page itself, in Chromium: test/e2e/explorer-*.test.ts.)

describe("the explorer's routes", () => {
  let service: TestServer;
  let bridge: BridgeProcess;
  before(async () => {
    service = await startServer([testService()]);
    const tokenFile = path.join(mkdtempSync(path.join(tmpdir(), "varlink-ts-token-")), "token");
    writeFileSync(tokenFile, "s3cret\n");
    bridge = await startBridge([
      "--ui",
      "--service",
      `test=${service.address}`,
      "--base",
      "/varlink",
      "--token-file",
      tokenFile,
    ]);
  });
  after(async () => {
    await bridge.stop();
    await service.server.close();
  });

  test("the page is served without the token, and may not be framed or load anything from elsewhere", async () => {
    const response = await fetch(`${bridge.url}/`);
    assert.equal(response.status, 200);
    assert.match(response.headers.get("content-type") ?? "", /^text\/html/);
    assert.match(response.headers.get("content-security-policy") ?? "", /frame-ancestors 'none'/);
    assert.match(response.headers.get("content-security-policy") ?? "", /default-src 'none'; script-src 'self'/);
    assert.equal(response.headers.get("x-frame-options"), "DENY");
    assert.equal(response.headers.get("x-content-type-options"), "nosniff");
  });

  test("its script and style sheet are served without the token", async () => {
    const script = await fetch(`${bridge.url}/explorer/app.js`);
    assert.equal(script.status, 200);
    assert.match(script.headers.get("content-type") ?? "", /^text\/javascript/);
    assert.equal((await fetch(`${bridge.url}/explorer/app.css`)).status, 200);
  });

  test("the base path without its slash is redirected to the page", async () => {
    const response = await fetch(bridge.url, { redirect: "manual" });
    assert.equal(response.status, 308);
    assert.equal(response.headers.get("location"), "/varlink/");
  });

  test("what the page reads needs the token", async () => {
    assert.equal((await fetch(`${bridge.url}/explorer/services`)).status, 401);
  });

  test("the model lists each service's interfaces in the runtime's model, documentation included", async () => {
    const response = await fetch(`${bridge.url}/explorer/services`, { headers: { Authorization: "Bearer s3cret" } });
    const model = (await response.json()) as ExplorerModel;
    const [only] = model.services;
    assert.equal(only?.name, "test");
    const described = only?.interfaces.find((i) => i.model.name === "org.example.test");
    assert.equal(described?.source, "service");
    // The page reads what every other stage reads: the runtime's model of the description.
    assert.deepEqual(described?.model, readInterface(testInterfaceText));
  });
});

describe("the bridge without --ui", () => {
  test("serves no page", async (t) => {
    const service = await startServer([testService()]);
    t.after(() => service.server.close());
    const bridge = await startBridge(["--service", `test=${service.address}`]);
    t.after(() => bridge.stop());
    assert.equal((await fetch(`${bridge.url}/`)).status, 404);
    assert.equal((await fetch(`${bridge.url}/explorer/services`)).status, 404);
  });
});

describe("--interface-file", () => {
  const bridge = (...args: string[]) => cliProcess(["bridge", "http", "--service", "test=unix:/nowhere.sock", ...args]);

  test("takes SERVICE=FILE when several services are bridged", async () => {
    const run = await bridge(
      "--service",
      "other=unix:/elsewhere.sock",
      "--interface-file",
      path.join(fixturesDir, "interfaces", "org.example.spaceship.varlink"),
    );
    assert.equal(run.code, 2);
    assert.match(run.stderr, /--interface-file takes SERVICE=FILE when several services are bridged \(test, other\)/);
  });

  test("names a bridged service", async () => {
    const run = await bridge(
      "--interface-file",
      `other=${path.join(fixturesDir, "interfaces", "org.example.spaceship.varlink")}`,
    );
    assert.equal(run.code, 2);
    assert.match(run.stderr, /no service named 'other' is bridged/);
  });

  test("refuses a file with errors, showing them", async () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), "varlink-ts-if-")), "bad.varlink");
    writeFileSync(file, "interface org.example.bad\nmethod M(x: Nope) -> ()\n");
    const run = await bridge("--interface-file", `test=${file}`);
    assert.equal(run.code, 2);
    assert.match(run.stderr, /bad\.varlink has errors/);
    assert.match(run.stderr, /Nope/);
  });
});

test("the documentation states the explorer's size truthfully (within 10%)", () => {
  const stated = statedInDocs(/no framework \(about (\d+) KB of script and (\d+) KB of\s+style\)/);
  assert.ok(stated !== null, "the documentation states the explorer's size");
  for (const [file, kilobytes] of [
    ["app.js", stated[1]],
    ["app.css", stated[2]],
  ] as const) {
    const actual = statSync(path.join(repoRoot, "dist", "explorer", file)).size / 1000;
    assert.ok(
      Math.abs(actual - Number(kilobytes)) <= Number(kilobytes) / 10,
      `${file} is ${actual.toFixed(1)} KB; the documentation says about ${kilobytes} KB`,
    );
  }
});
