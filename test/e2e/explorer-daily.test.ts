import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { promisify } from "node:util";
import type { ServiceInterface } from "@varlink-ts/runtime";
import { startBridge, type BridgeProcess } from "../helpers/bridge.js";
import { launchChromium, openPage, screenshot } from "../helpers/browser.js";
import { binPath } from "../helpers/cli.js";
import { eventually, startServer, type TestServer, withoutIntrospection } from "../helpers/runtime.js";

// The explorer for daily use (issue #22, 9 to 13), in Chromium: Stop ends a stream on screen,
// long streams stay one line a reply, a service that cannot describe itself gets a readable
// note, a method's reference (reply fields, linked types, declared errors), copying a call as
// curl or `varlink-ts call` (run here, to prove the text works), links that carry parameters,
// narrow windows and dark mode. Screenshots go to dist/screenshots/explorer-daily/.

const shots = "explorer-daily";

const shell = (command: string) => promisify(execFile)("sh", ["-c", command], { encoding: "utf8", timeout: 20_000 });

const tickerText = `# Counts, for streams of any length.
interface org.example.ticker

type Level (low, high)

type Label (text: string, level: Level)

# Counts to \`count\`; with \`hold\`, then waits until stopped.
# [Requires 'more' flag]
method Ticks(count: int, hold: bool) -> (tick: int)

# Sends the label back, with its length.
method Measure(label: Label) -> (label: Label, size: int)

# Too far to count.
error Overflow (limit: int)
`;

describe("the explorer for daily use", () => {
  let stopped = 0;
  let ticker: TestServer;
  let quiet: TestServer;
  let bridge: BridgeProcess;
  const service = (): ServiceInterface => ({
    name: "org.example.ticker",
    description: tickerText,
    methods: {
      Ticks: {
        more: "requires",
        handler: async function* (p: { count: number; hold: boolean }, context) {
          try {
            for (let tick = 1; tick <= p.count; tick++) yield { tick };
            if (p.hold) await new Promise((resolve) => context.signal.addEventListener("abort", resolve));
          } finally {
            if (context.signal.aborted) stopped++;
          }
        },
      },
      Measure: (p: { label: { text: string; level: string } }) => ({ label: p.label, size: p.label.text.length }),
    },
  });
  before(async () => {
    ticker = await startServer([service()], { vendor: "Example", product: "ticker", version: "2" });
    quiet = await startServer([service()], { interceptors: [withoutIntrospection] });
    const file = path.join(mkdtempSync(path.join(tmpdir(), "varlink-ts-daily-")), "org.example.ticker.varlink");
    writeFileSync(file, tickerText);
    bridge = await startBridge([
      "--ui",
      "--service",
      `ticker=${ticker.address}`,
      "--service",
      `quiet=${quiet.address}`,
      "--interface-file",
      `quiet=${file}`,
    ]);
  });
  after(async () => {
    await bridge.stop();
    await ticker.server.close({ timeout: 0 });
    await quiet.server.close({ timeout: 0 });
  });
  const at = (method: string, service = "ticker"): string => `${bridge.url}/#${service}/org.example.ticker.${method}`;

  test("Stop ends the stream on screen, and the service's handler with it", async (t) => {
    const browser = await launchChromium(t);
    if (browser === undefined) return;
    const { page, errors } = await openPage(browser, at("Ticks"));
    await page.fill('[data-field="count"] input', "3");
    await page.check('[data-field="hold"] input[type="checkbox"]');
    await page.click("button.run.more");
    await page.waitForSelector(".status:text-matches('^Streaming… 3 replies')");
    await page.click("button.stop");
    await page.waitForSelector(".status:text-matches('^Stopped')");
    assert.match((await page.textContent(".status")) ?? "", /^Stopped: 3 replies in \d+(\.\d)? m?s\.$/);
    assert.equal(await page.locator("button.stop").count(), 0);
    await eventually(() => stopped === 1, "the service's handler is told to stop");
    assert.deepEqual(errors, []);
  });

  test("a long stream is one line a reply, the newest in view, with its count and time", async (t) => {
    const browser = await launchChromium(t);
    if (browser === undefined) return;
    const { page, errors } = await openPage(browser, at("Ticks"));
    await page.fill('[data-field="count"] input', "25");
    await page.click("button.run.more");
    await page.waitForSelector(".status:text-matches('^Done')");
    assert.match((await page.textContent(".status")) ?? "", /^Done: 25 replies in \d+(\.\d)? m?s\.$/);
    const heights = await page
      .locator(".reply.collapsed")
      .evaluateAll((items) => items.map((item) => item.getBoundingClientRect().height));
    assert.equal(heights.length, 25);
    assert.ok(
      heights.every((height) => height < 40),
      `one line each: ${heights.join(", ")}`,
    );
    assert.ok((await page.evaluate<number>("document.documentElement.scrollHeight")) < 2000, "the page stays short");
    assert.ok(
      await page.locator(".replies").evaluate((list) => list.scrollTop + list.clientHeight >= list.scrollHeight - 2),
      "the newest reply is in view",
    );
    assert.match(
      (await page.textContent(".reply.collapsed:last-child summary")) ?? "",
      /^#25\+\d+(\.\d)? m?s\{"tick":25\}$/,
    );
    await screenshot(page, shots, "long-stream");
    await page.click(".reply.collapsed:first-child summary");
    assert.ok(await page.locator(".reply.collapsed:first-child pre").isVisible(), "a click opens the reply");
    assert.deepEqual(JSON.parse((await page.textContent(".reply.collapsed:first-child pre")) ?? ""), { tick: 1 });
    assert.deepEqual(errors, []);
  });

  test("a service whose GetInfo fails has a readable note; modes and errors are labelled alike", async (t) => {
    const browser = await launchChromium(t);
    if (browser === undefined) return;
    const { page, errors } = await openPage(browser, at("Ticks"));
    await page.waitForSelector("article.method");
    assert.equal(
      await page.textContent('[data-service="quiet"] .info'),
      "Does not describe itself: GetInfo failed with org.varlink.service.MethodNotImplemented.",
    );
    assert.ok(!((await page.textContent('[data-service="quiet"]')) ?? "").includes("{"), "no raw JSON");
    const sidebarBadge = await page
      .locator('[data-service="ticker"] .methods li:has(a:text("Ticks")) .badge')
      .allTextContents();
    assert.deepEqual(sidebarBadge, await page.locator("article.method header .badge").allTextContents());
    assert.deepEqual(sidebarBadge, ["requires more"]);
    assert.equal(
      await page.textContent('[data-service="ticker"] [data-interface="org.example.ticker"] .errors > summary'),
      "Errors it can raise (1)",
    );
    await screenshot(page, shots, "wide");
    assert.deepEqual(errors, []);
  });

  test("a method's reference: reply fields with their types linked to the declarations, and the declared errors", async (t) => {
    const browser = await launchChromium(t);
    if (browser === undefined) return;
    const { page, errors } = await openPage(browser, at("Measure"));
    await page.waitForSelector(".reference");
    assert.deepEqual(await page.locator(".reference .fields dt").allTextContents(), ["labelLabel", "sizeint"]);
    assert.deepEqual(await page.locator(".type-declaration summary").allTextContents(), ["type Label", "type Level"]);
    assert.equal(await page.textContent("#type-Label .type-text"), "(text: string, level: Level)");
    await page.click('.fields a.type-link[data-type="Label"]');
    assert.match(page.url(), /#ticker\/org\.example\.ticker\.Measure$/, "the address still names the method");
    await page.click('#type-Label a.type-link[data-type="Level"]');
    assert.ok(await page.locator("#type-Level").isVisible());
    assert.deepEqual(await page.locator(".declared-errors code").allTextContents(), ["org.example.ticker.Overflow"]);
    assert.deepEqual(errors, []);
  });

  test("copy as curl and as varlink-ts call: each text, run, makes the call", async (t) => {
    const browser = await launchChromium(t);
    if (browser === undefined) return;
    const { page, errors } = await openPage(browser, at("Measure"));
    await page.fill('[data-field="label"] [data-field="text"] input', "it's here");
    await page.selectOption('[data-field="label"] [data-field="level"] select', "high");
    const expected = { label: { text: "it's here", level: "high" }, size: 9 };
    await page.click("button.share.curl");
    const curl = (await page.textContent(".share-text")) ?? "";
    assert.match(curl, /^curl -sS -X POST -H 'Content-Type: application\/json' --data /);
    // Asynchronously: the service that answers lives in this process.
    assert.deepEqual(JSON.parse((await shell(curl)).stdout), expected);
    await screenshot(page, shots, "copy");
    await page.click("button.share.cli");
    const call = (await page.textContent(".share-text")) ?? "";
    assert.match(call, /^varlink-ts call 'http:\/\/127\.0\.0\.1:\d+\?service=ticker' org\.example\.ticker\.Measure '/);
    const output = await shell(call.replace(/^varlink-ts /, `"${process.execPath}" "${binPath}" `));
    assert.deepEqual(JSON.parse(output.stdout), expected);
    assert.deepEqual(errors, []);
  });

  test("a link opens the method with the parameters filled in", async (t) => {
    const browser = await launchChromium(t);
    if (browser === undefined) return;
    const { page, errors } = await openPage(browser, at("Measure"));
    await page.fill('[data-field="label"] [data-field="text"] input', "linked");
    await page.selectOption('[data-field="label"] [data-field="level"] select', "low");
    await page.click("button.share.link");
    const link = (await page.textContent(".share-text")) ?? "";
    assert.equal(page.url(), link, "the address bar holds the link too");
    const opened = await openPage(browser, link);
    await opened.page.waitForSelector("article.method");
    assert.equal(await opened.page.inputValue('[data-field="label"] [data-field="text"] input'), "linked");
    assert.equal(await opened.page.inputValue('[data-field="label"] [data-field="level"] select'), "low");
    assert.deepEqual([...errors, ...opened.errors], []);
  });

  test("at 600 px the services fold away behind a button and the form fits", async (t) => {
    const browser = await launchChromium(t);
    if (browser === undefined) return;
    const { page, errors } = await openPage(browser, at("Measure"));
    await page.setViewportSize({ width: 600, height: 900 });
    await page.waitForSelector("article.method");
    assert.equal(await page.locator(".sidebar").isVisible(), false);
    assert.ok(
      await page.evaluate<boolean>("document.documentElement.scrollWidth <= 600"),
      "nothing sticks out sideways",
    );
    const input = await page.locator('[data-field="label"] [data-field="text"] input').boundingBox();
    assert.ok(input !== null && input.x >= 0 && input.x + input.width <= 600);
    await screenshot(page, shots, "narrow");
    await page.click("button.menu-toggle");
    assert.equal(await page.locator(".sidebar").isVisible(), true);
    await screenshot(page, shots, "narrow-services");
    await page.click('[data-service="ticker"] a.method-link:text("Ticks")');
    await page.waitForSelector('article.method[data-method="org.example.ticker.Ticks"]');
    assert.equal(await page.locator(".sidebar").isVisible(), false, "picking a method folds the services away");
    assert.deepEqual(errors, []);
  });

  test("dark mode follows prefers-color-scheme", async (t) => {
    const browser = await launchChromium(t);
    if (browser === undefined) return;
    const { page, errors } = await openPage(browser, at("Measure"));
    await page.waitForSelector("article.method");
    // The body's background, 0 (black) to 255 (white): evaluated in the page.
    const lightness = async (): Promise<number> => {
      const [r, g, b] = (await page.evaluate<string>("getComputedStyle(document.body).backgroundColor"))
        .match(/\d+/g)!
        .map(Number);
      return (r! + g! + b!) / 3;
    };
    await page.emulateMedia({ colorScheme: "light" });
    assert.ok((await lightness()) > 200, "light background");
    await page.emulateMedia({ colorScheme: "dark" });
    assert.ok((await lightness()) < 60, "dark background");
    await screenshot(page, shots, "dark");
    assert.deepEqual(errors, []);
  });
});
