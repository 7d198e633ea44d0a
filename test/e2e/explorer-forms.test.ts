import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { implementInterface } from "@varlink-ts/runtime";
import { Spaceship, type JumpInput, type SoundAlarmInput } from "../generated/org.example.spaceship.js";
import { startBridge, type BridgeProcess } from "../helpers/bridge.js";
import { launchChromium, openPage, screenshot } from "../helpers/browser.js";
import { makeCertificates } from "../helpers/certificates.js";
import { startServer, testService, type TestServer } from "../helpers/runtime.js";

// The explorer's forms in Chromium, against a service on the generated org.example.spaceship code
// (nested structs, arrays, maps, sets, enums, optional fields, streams, oneway) and the runtime's
// test service (Echo takes `any`). Each handler records what it received, so each test checks
// the exact parameters the form sent.

const shots = "explorer-forms";

describe("the explorer's forms", () => {
  const jumps: JumpInput[] = [];
  const alarms: SoundAlarmInput[] = [];
  let ship: TestServer;
  let echoing: TestServer;
  let bridge: BridgeProcess;
  before(async () => {
    ship = await startServer(
      [
        implementInterface(
          Spaceship,
          {
            Jump: (parameters) => {
              jumps.push(parameters);
              return { arrived: true };
            },
            async *Monitor() {
              for (const level of [90, 80]) yield { condition: { state: "busy", tylium_level: level } };
              return { condition: { state: "idle", tylium_level: 70 } };
            },
            SoundAlarm: (parameters) => void alarms.push(parameters),
          },
          { partial: true },
        ),
      ],
      { vendor: "Acme", product: "ship", version: "1", url: "https://example.org" },
    );
    echoing = await startServer([testService()]);
    bridge = await startBridge(["--ui", "--service", `ship=${ship.address}`, "--service", `test=${echoing.address}`]);
  });
  after(async () => {
    await bridge.stop();
    await ship.server.close();
    await echoing.server.close();
  });
  const at = (service: string, method: string): string => `${bridge.url}/#${service}/${method}`;

  test("the services are listed with their documentation and their methods' modes", async (t) => {
    const browser = await launchChromium(t);
    if (browser === undefined) return;
    const { page, errors } = await openPage(browser, at("ship", "org.example.spaceship.Monitor"));
    await page.waitForSelector("article.method");
    assert.equal(await page.textContent('[data-service="ship"] .info'), "Acme · ship · 1");
    assert.match(
      (await page.textContent('[data-interface="org.example.spaceship"] > .doc')) ?? "",
      /A spaceship's drive, crew and cargo/,
    );
    assert.equal(
      await page.textContent("article.method .doc"),
      "Watch the drive: one reply for every change of its condition.",
    );
    assert.deepEqual(await page.locator("article.method .badge").allTextContents(), ["requires more"]);
    assert.deepEqual(
      await page.locator("article.method button.run").allTextContents(),
      ["Stream (more)"],
      "a method that requires 'more' can only stream",
    );
    assert.deepEqual(errors, []);
  });

  test("nested structs, arrays, maps, sets and enums are sent as the form holds them; an unset optional field is left out", async (t) => {
    const browser = await launchChromium(t);
    if (browser === undefined) return;
    const { page, errors } = await openPage(browser, at("ship", "org.example.spaceship.Jump"));
    const configuration = '[data-field="configuration"]';
    await page.fill(`${configuration} [data-field="speed"] input`, "10");
    await page.fill(`${configuration} [data-field="trajectory"] input`, "1.5");
    await page.fill(`${configuration} [data-field="duration"] input`, "3");
    const crew = '[data-field="crew"]';
    await page.click(`${crew} > .editor > .list > button.add, ${crew} > .list > button.add`);
    const member = `${crew} .rows > li:nth-child(1)`;
    await page.fill(`${member} [data-field="name"] input`, "Ada");
    await page.selectOption(`${member} [data-field="rank"] select`, "captain");
    await page.click(`${member} [data-field="skills"] button.add`);
    await page.fill(`${member} [data-field="skills"] input.key`, "piloting");
    await page.fill(`${member} [data-field="skills"] .rows input:not(.key)`, "9");
    await page.click(`${member} [data-field="badges"] button.add`);
    await page.fill(`${member} [data-field="badges"] input.key`, "first-jump");
    await page.click("button.run.call");
    await page.waitForSelector(".reply");
    await screenshot(page, shots, "jump");
    assert.deepEqual(jumps.at(-1), {
      configuration: { speed: 10, trajectory: 1.5, duration: 3 },
      crew: [{ name: "Ada", rank: "captain", skills: { piloting: 9 }, badges: { "first-jump": {} } }],
    });
    assert.deepEqual(errors, []);
  });

  test("a removed array element is not sent", async (t) => {
    const browser = await launchChromium(t);
    if (browser === undefined) return;
    const { page, errors } = await openPage(browser, at("ship", "org.example.spaceship.SoundAlarm"));
    await page.selectOption('[data-field="level"] select', "red");
    const decks = '[data-field="decks"]';
    for (const deck of ["bridge", "engine"]) {
      await page.click(`${decks} button.add`);
      await page.fill(`${decks} .rows > li:last-child input.key`, deck);
    }
    await page.click(`${decks} .rows > li:first-child button.remove`);
    await page.click("button.run.call");
    await page.waitForSelector(".reply");
    assert.deepEqual(alarms.at(-1), { level: "red", decks: { engine: false } });
    assert.deepEqual(errors, []);
  });

  test("oneway sends the call and shows that no reply comes", async (t) => {
    const browser = await launchChromium(t);
    if (browser === undefined) return;
    const { page, errors } = await openPage(browser, at("ship", "org.example.spaceship.SoundAlarm"));
    const before = alarms.length;
    await page.selectOption('[data-field="level"] select', "yellow");
    await page.click("button.run.oneway");
    // "Sending (oneway)…" comes first; wait for the status that follows it.
    await page.waitForSelector(".status:text-matches('^Sent as oneway')");
    assert.match((await page.textContent(".status")) ?? "", /^Sent as oneway in \d+ ms: no reply is expected\.$/);
    for (let i = 0; i < 100 && alarms.length === before; i++) await new Promise((resolve) => setTimeout(resolve, 20));
    assert.deepEqual(alarms.at(-1), { level: "yellow", decks: {} });
    assert.deepEqual(errors, []);
  });

  test("a stream shows each reply as it arrives, the final one too", async (t) => {
    const browser = await launchChromium(t);
    if (browser === undefined) return;
    const { page, errors } = await openPage(browser, at("ship", "org.example.spaceship.Monitor"));
    await page.click("button.run.more");
    await page.waitForSelector(".status:text-matches('^Done')");
    const replies = (await page.locator(".reply pre").allTextContents()).map(
      (text) => (JSON.parse(text) as { condition: { tylium_level: number } }).condition.tylium_level,
    );
    assert.deepEqual(replies, [90, 80, 70]);
    await screenshot(page, shots, "monitor");
    assert.deepEqual(errors, []);
  });

  test("raw JSON mode shows the form's value, and what is typed there is sent", async (t) => {
    const browser = await launchChromium(t);
    if (browser === undefined) return;
    const { page, errors } = await openPage(browser, at("ship", "org.example.spaceship.SoundAlarm"));
    await page.selectOption('[data-field="level"] select', "red");
    await page.click("button.toggle-raw");
    assert.deepEqual(JSON.parse(await page.inputValue("textarea.raw")), { level: "red", decks: {} });
    await page.fill("textarea.raw", '{"level": "yellow", "decks": {"hangar": true}}');
    await page.click("button.run.call");
    await page.waitForSelector(".reply");
    assert.deepEqual(alarms.at(-1), { level: "yellow", decks: { hangar: true } });
    await page.click("button.toggle-raw");
    assert.equal(
      await page.inputValue('[data-field="level"] select'),
      "yellow",
      "back in the form, the JSON's values are shown",
    );
    assert.deepEqual(errors, []);
  });

  test("`any` is typed as JSON, and a 64-bit integer in it stays exact", async (t) => {
    const browser = await launchChromium(t);
    if (browser === undefined) return;
    const { page, errors } = await openPage(browser, at("test", "org.example.test.Echo"));
    await page.fill('[data-field="value"] textarea', '{"big": 18446744073709551615}');
    await page.click("button.run.call");
    await page.waitForSelector(".reply");
    assert.match((await page.textContent(".reply pre")) ?? "", /"big": 18446744073709551615/);
    assert.deepEqual(errors, []);
  });

  test("text that is not JSON is shown at its field and nothing is sent", async (t) => {
    const browser = await launchChromium(t);
    if (browser === undefined) return;
    const { page, errors } = await openPage(browser, at("test", "org.example.test.Echo"));
    await page.fill('[data-field="value"] textarea', "{nope");
    await page.click("button.run.call");
    await page.waitForSelector('[data-field="value"] .field-error');
    assert.match((await page.textContent('[data-field="value"] .field-error')) ?? "", /^not JSON/);
    assert.equal(await page.locator(".reply").count(), 0);
    assert.deepEqual(errors, []);
  });

  test("an error reply is shown by name with its parameters", async (t) => {
    const browser = await launchChromium(t);
    if (browser === undefined) return;
    const { page, errors } = await openPage(browser, at("ship", "org.example.spaceship.Status"));
    await page.click("button.run.call");
    await page.waitForSelector(".error-reply");
    assert.equal(await page.textContent(".error-name"), "org.varlink.service.MethodNotImplemented");
    assert.deepEqual(JSON.parse((await page.textContent(".error-parameters")) ?? ""), {
      method: "org.example.spaceship.Status",
    });
    assert.deepEqual(errors, []);
  });
});

describe("the explorer behind a token", () => {
  let service: TestServer;
  let bridge: BridgeProcess;
  before(async () => {
    service = await startServer([testService()]);
    const tokenFile = path.join(mkdtempSync(path.join(tmpdir(), "varlink-ts-token-")), "token");
    writeFileSync(tokenFile, "s3cret\n");
    bridge = await startBridge(["--ui", "--service", `test=${service.address}`, "--token-file", tokenFile]);
  });
  after(async () => {
    await bridge.stop();
    await service.server.close();
  });

  test("the page asks for the token, then lists the services and calls with it", async (t) => {
    const browser = await launchChromium(t);
    if (browser === undefined) return;
    const { page, errors } = await openPage(browser, `${bridge.url}/#test/org.example.test.Echo`);
    await page.waitForSelector("form.token");
    await page.fill("form.token input", "s3cret");
    await page.click("form.token button");
    await page.waitForSelector("article.method");
    await page.fill('[data-field="value"] textarea', '"with the token"');
    await page.click("button.run.call");
    await page.waitForSelector(".reply");
    assert.equal(await page.textContent(".reply pre"), '{\n  "value": "with the token"\n}');
    assert.deepEqual(errors, []);
  });
});

describe("the explorer over HTTPS", () => {
  let service: TestServer;
  let bridge: BridgeProcess;
  before(async () => {
    const certificates = makeCertificates();
    service = await startServer([testService()]);
    bridge = await startBridge([
      "--ui",
      "--service",
      `test=${service.address}`,
      "--tls-cert",
      certificates.files.serverCert,
      "--tls-key",
      certificates.files.serverKey,
    ]);
  });
  after(async () => {
    await bridge.stop();
    await service.server.close();
  });

  test("the page loads and calls over https://", async (t) => {
    const browser = await launchChromium(t);
    if (browser === undefined) return;
    // The test CA is not the browser's: its certificate is accepted for this page alone.
    const context = await browser.newContext({ ignoreHTTPSErrors: true });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on("pageerror", (error) => errors.push(error.message));
    await page.goto(`${bridge.url}/#test/org.example.test.Echo`);
    assert.match(page.url(), /^https:/);
    await page.fill('[data-field="value"] textarea', "[1, 2]");
    await page.click("button.run.call");
    await page.waitForSelector(".reply");
    assert.deepEqual(JSON.parse((await page.textContent(".reply pre")) ?? ""), { value: [1, 2] });
    assert.deepEqual(errors, []);
  });
});
