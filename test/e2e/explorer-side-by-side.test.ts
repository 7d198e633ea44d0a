import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { VarlinkError, type ServiceInterface } from "@varlink-ts/runtime";
import type { Page } from "playwright-core";
import { startBridge, type BridgeProcess } from "../helpers/bridge.js";
import { launchChromium, openPage, screenshot } from "../helpers/browser.js";
import { socketAddress, startServer, type TestServer, withoutIntrospection } from "../helpers/runtime.js";

// The explorer side by side with grpcui and Swagger UI (issue #29, 17 to 22), in Chromium at
// 1400 and 390 px, light and dark: the reply comes into view, one primary button per form, a
// sidebar that does not repeat org.varlink.service and can be filtered, a landing page with every
// service, signatures that keep "->" whole, a service that is down said so, and the time and
// history of calls. Screenshots go to dist/screenshots/explorer-side-by-side/.

const shots = "explorer-side-by-side";
const wide = { width: 1400, height: 900 };
const narrow = { width: 390, height: 844 };

const text = `# Counts, for streams of any length.
interface org.example.counter

type Level (low, high)

type Label (text: string, level: Level, note: ?string, tags: []string)

# Counts to \`count\`.
# [Requires 'more' flag]
method Count(count: int) -> (tick: int)

# Sends the label back, with its length.
method Measure(label: Label, repeat: int, loud: bool, comment: string) -> (label: Label, size: int, echoed: []string)

# Always fails: the counter has overflowed.
method Overflowing() -> ()

# A long name, with a badge, for narrow sidebars.
# [Requires 'more' flag]
method SubscribeToEveryChangeOfTheConfiguration(since: int) -> (change: string)

# Too far to count.
error Overflow (limit: int)
`;

const counter: ServiceInterface = {
  name: "org.example.counter",
  description: text,
  methods: {
    Count: {
      more: "requires",
      handler: async function* (p: { count: number }) {
        for (let tick = 1; tick <= p.count; tick++) yield { tick };
      },
    },
    Measure: (p: { label: { text: string }; repeat: number }) => ({
      label: p.label,
      size: p.label.text.length,
      echoed: Array<string>(p.repeat).fill(p.label.text),
    }),
    Overflowing: () => {
      throw new VarlinkError("org.example.counter.Overflow", { limit: 10 });
    },
    SubscribeToEveryChangeOfTheConfiguration: { more: "requires", handler: async function* () {} },
  },
};

/** Fills Measure's form: the label's text and level, and one repeat. */
async function fillMeasure(page: Page, label: string): Promise<void> {
  await page.fill('[data-field="label"] [data-field="text"] input', label);
  await page.selectOption('[data-field="label"] [data-field="level"] select', "high");
  await page.fill('[data-field="repeat"] input', "1");
}

/**
 * Where the page's first signature breaks across lines other than after ", " or before "->": the
 * text around each such break (none, when a line ends only between fields or before the arrow).
 */
function badBreaks(page: Page): Promise<string[]> {
  return page.evaluate(`(() => {
    const signature = document.querySelector(".signature");
    const walker = document.createTreeWalker(signature, NodeFilter.SHOW_TEXT);
    const chars = [];
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      for (let i = 0; i < node.data.length; i++) {
        const range = document.createRange();
        range.setStart(node, i);
        range.setEnd(node, i + 1);
        const box = [...range.getClientRects()].find((r) => r.width > 0);
        chars.push({ char: node.data[i], top: box === undefined ? undefined : Math.round(box.top) });
      }
    }
    const text = chars.map((c) => c.char).join("");
    const bad = [];
    let last;
    chars.forEach((c, i) => {
      if (c.top === undefined) return;
      if (last !== undefined && c.top > chars[last].top) {
        const before = text.slice(0, i).trimEnd();
        if (!before.endsWith(",") && !text.startsWith("->", i)) bad.push(text.slice(Math.max(0, i - 12), i) + "|" + text.slice(i, i + 12));
      }
      last = i;
    });
    return bad;
  })()`);
}

describe("the explorer, side by side with grpcui and Swagger UI", () => {
  let main: TestServer;
  let quiet: TestServer;
  let bridge: BridgeProcess;
  before(async () => {
    main = await startServer([counter], {
      vendor: "Example",
      product: "counter",
      version: "3",
      url: "https://example.org/counter",
    });
    quiet = await startServer([counter], { interceptors: [withoutIntrospection] });
    const file = path.join(mkdtempSync(path.join(tmpdir(), "varlink-ts-side-")), "org.example.counter.varlink");
    writeFileSync(file, text);
    const gone = socketAddress("gone.sock").address;
    bridge = await startBridge([
      "--ui",
      "--service",
      `counter=${main.address}`,
      "--service",
      `quiet=${quiet.address}`,
      "--interface-file",
      `quiet=${file}`,
      "--service",
      `gone=${gone}`,
    ]);
  });
  after(async () => {
    await bridge.stop();
    await main.server.close({ timeout: 0 });
    await quiet.server.close({ timeout: 0 });
  });
  const at = (method: string, service = "counter"): string => `${bridge.url}/#${service}/org.example.counter.${method}`;

  test("17: after Call the reply is brought into view, under one heading that says what it is", async (t) => {
    const browser = await launchChromium(t);
    if (browser === undefined) return;
    const { page, errors } = await openPage(browser, at("Measure"));
    await page.setViewportSize({ width: 1400, height: 520 });
    await fillMeasure(page, "seen");
    await page.fill('[data-field="repeat"] input', "2");
    const before = await page.locator(".results").boundingBox();
    assert.ok(before !== null && before.y > 520, "the results start below the fold");
    await page.click("button.run.call");
    await page.waitForSelector(".status:text-matches('^Replied')");
    const status = await page.locator(".status").boundingBox();
    assert.ok(
      status !== null && status.y >= 0 && status.y + status.height <= 520,
      `the status is in view (at ${status?.y})`,
    );
    const reply = await page.locator(".results .reply pre").boundingBox();
    assert.ok(reply !== null && reply.y < 520, "the reply starts in view");
    const headings = await page.locator("article.method :is(h2, h3, .status)").allTextContents();
    assert.equal(
      headings.filter((heading) => /^Reply\b/.test(heading)).length,
      1,
      `one "Reply" heading: ${headings.join(" | ")}`,
    );
    await page.setViewportSize(wide);
    await screenshot(page, shots, "reply");
    assert.deepEqual(errors, []);
  });

  test("18: one primary action per form, which looks unlike the copy buttons", async (t) => {
    const browser = await launchChromium(t);
    if (browser === undefined) return;
    const { page, errors } = await openPage(browser, at("Measure"));
    await page.waitForSelector("article.method");
    assert.deepEqual(await page.locator("article.method button.primary").allTextContents(), ["Call"]);
    const background = (selector: string): Promise<string> =>
      page.evaluate<string>(`getComputedStyle(document.querySelector(${JSON.stringify(selector)})).backgroundColor`);
    assert.notEqual(await background("button.run.call"), await background("button.share.curl"));
    assert.equal(
      await background("button.run.oneway"),
      await background("button.share.curl"),
      "the other ways to call stay quiet",
    );
    await page.goto(at("Count"));
    await page.waitForSelector('article.method[data-method="org.example.counter.Count"]');
    assert.deepEqual(await page.locator("article.method button.primary").allTextContents(), ["Stream (more)"]);
    assert.deepEqual(errors, []);
  });

  test("19: org.varlink.service is one closed line a service, GetInfo has no badge, nothing is cut off", async (t) => {
    const browser = await launchChromium(t);
    if (browser === undefined) return;
    const { page, errors } = await openPage(browser, at("Measure"));
    await page.waitForSelector("article.method");
    const blocks = page.locator('.sidebar [data-interface="org.varlink.service"]');
    assert.equal(await blocks.count(), 1, "only the service that describes itself lists it");
    assert.equal(await blocks.evaluate((block) => (block as unknown as { open: boolean }).open), false);
    assert.ok(((await blocks.boundingBox())?.height ?? 99) < 30, "one line");
    assert.equal(await page.locator('.sidebar .methods li:has(a:text-is("GetInfo")) .badge').count(), 0);
    await blocks.locator("summary").click();
    assert.equal(
      await page.locator('.sidebar .methods li:has(a:text-is("GetInfo")) .badge').count(),
      0,
      "not when opened either",
    );
    const sidebar = await page.locator(".sidebar").boundingBox();
    for (const badge of await page.locator(".sidebar .badge").all()) {
      const box = await badge.boundingBox();
      assert.ok(
        box !== null && sidebar !== null && box.x + box.width <= sidebar.x + sidebar.width,
        `the badge '${await badge.textContent()}' fits`,
      );
    }
    assert.ok(
      await page.locator(".sidebar").evaluate((nav) => nav.scrollWidth <= nav.clientWidth),
      "the sidebar does not scroll sideways",
    );
    assert.deepEqual(errors, []);
  });

  test("19: the filter keeps the methods whose service, interface or name match", async (t) => {
    const browser = await launchChromium(t);
    if (browser === undefined) return;
    const { page, errors } = await openPage(browser, at("Measure"));
    await page.waitForSelector("article.method");
    const visible = (): Promise<string[]> => page.locator(".sidebar a.method-link:visible").allTextContents();
    const all = await visible();
    await page.fill(".sidebar input.filter", "meas");
    assert.deepEqual(await visible(), ["Measure", "Measure"]);
    await page.fill(".sidebar input.filter", "quiet meas");
    assert.deepEqual(await visible(), ["Measure"]);
    assert.equal(
      await page.locator('.sidebar [data-service="counter"]').isVisible(),
      false,
      "a service with no match is hidden",
    );
    await page.fill(".sidebar input.filter", "nothing-like-it");
    assert.equal(await page.locator(".sidebar .no-match").isVisible(), true);
    await page.fill(".sidebar input.filter", "");
    assert.deepEqual(await visible(), all);
    assert.deepEqual(errors, []);
  });

  test("20: the landing page shows every service: reachable or not, its GetInfo, its interfaces and method counts", async (t) => {
    const browser = await launchChromium(t);
    if (browser === undefined) return;
    const { page, errors } = await openPage(browser, `${bridge.url}/`);
    await page.setViewportSize(wide);
    await page.waitForSelector(".landing");
    assert.deepEqual(await page.locator(".landing .card h3").allTextContents(), ["counter", "quiet", "gone"]);
    assert.deepEqual(await page.locator(".landing .card .state").allTextContents(), [
      "reachable",
      "no GetInfo",
      "down",
    ]);
    const card = page.locator('.card[data-service="counter"]');
    assert.equal(await card.locator(".info").textContent(), "Example · counter · 3");
    assert.equal(await card.locator(".url").textContent(), "https://example.org/counter");
    assert.deepEqual(await card.locator(".card-interfaces li").allTextContents(), [
      "org.varlink.service2 methods",
      "org.example.counter4 methods",
    ]);
    assert.match(
      (await page.locator('.card[data-service="gone"] .info').textContent()) ?? "",
      /^Cannot be reached: cannot connect to unix:\S+gone\.sock: no such socket\.$/,
    );
    assert.equal(
      await page.locator(".landing > .hint").textContent(),
      "3 services, 1 cannot be reached. Pick a method to call it.",
    );
    await screenshot(page, shots, "landing");
    await page.click('.card[data-service="counter"] .card-interfaces a[href$="org.example.counter.Count"]');
    await page.waitForSelector('article.method[data-method="org.example.counter.Count"]');
    await page.goto(`${bridge.url}/`);
    await page.setViewportSize(narrow);
    await page.waitForSelector(".landing");
    assert.ok(
      await page.evaluate<boolean>(`document.documentElement.scrollWidth <= ${narrow.width}`),
      "nothing sticks out sideways",
    );
    await screenshot(page, shots, "landing-narrow");
    assert.deepEqual(errors, []);
  });

  test("21: at narrow widths a signature breaks only between fields and before '->', and at 390 px nothing sticks out", async (t) => {
    const browser = await launchChromium(t);
    if (browser === undefined) return;
    const { page, errors } = await openPage(browser, at("Measure"));
    await page.setViewportSize(narrow);
    await page.waitForSelector("article.method");
    assert.ok(((await page.locator(".signature").boundingBox())?.height ?? 0) > 40, "the signature wraps");
    // Wherever the line happens to end: every narrow width, 320 to 720 px.
    for (let width = 320; width <= 720; width += 2) {
      await page.setViewportSize({ width, height: narrow.height });
      assert.deepEqual(await badBreaks(page), [], `the signature breaks inside a field or type at ${width} px`);
    }
    await page.setViewportSize(narrow);
    assert.ok(
      await page.evaluate<boolean>(`document.documentElement.scrollWidth <= ${narrow.width}`),
      "nothing sticks out sideways",
    );
    await screenshot(page, shots, "narrow");
    await page.click("button.menu-toggle");
    await screenshot(page, shots, "narrow-services");
    assert.deepEqual(errors, []);
  });

  test("21: a service that is down says it cannot be reached, and why", async (t) => {
    const browser = await launchChromium(t);
    if (browser === undefined) return;
    const { page, errors } = await openPage(browser, at("Measure"));
    await page.setViewportSize(wide);
    await page.waitForSelector("article.method");
    assert.match(
      (await page.textContent('.sidebar [data-service="gone"] .info')) ?? "",
      /^Cannot be reached: cannot connect to unix:\S+gone\.sock: no such socket\.$/,
    );
    assert.equal(
      await page.textContent('.sidebar [data-service="quiet"] .info'),
      "Does not describe itself: GetInfo failed with org.varlink.service.MethodNotImplemented.",
    );
    await page.locator('.sidebar [data-service="gone"]').scrollIntoViewIfNeeded();
    await screenshot(page, shots, "down");
    assert.deepEqual(errors, []);
  });

  test("22: each call says how long it took, replies and errors alike", async (t) => {
    const browser = await launchChromium(t);
    if (browser === undefined) return;
    const { page, errors } = await openPage(browser, at("Overflowing"));
    await page.setViewportSize(wide);
    await page.click("button.run.call");
    await page.waitForSelector(".status:text-matches('^Failed')");
    assert.match((await page.textContent(".status")) ?? "", /^Failed after \d+ ms:$/);
    assert.equal(await page.textContent(".error-name"), "org.example.counter.Overflow");
    await screenshot(page, shots, "error");
    await page.goto(at("Count"));
    await page.fill('[data-field="count"] input', "12");
    await page.click("button.run.more");
    await page.waitForSelector(".status:text-matches('^Done')");
    assert.match((await page.textContent(".status")) ?? "", /^Done: 12 replies in \d+ ms\.$/);
    await screenshot(page, shots, "stream");
    assert.deepEqual(errors, []);
  });

  test("22: the session's calls are kept, newest first, to look at again and to run again", async (t) => {
    const browser = await launchChromium(t);
    if (browser === undefined) return;
    const { page, errors } = await openPage(browser, at("Measure"));
    await page.setViewportSize(wide);
    await fillMeasure(page, "first");
    await page.click("button.run.call");
    await page.waitForSelector(".status:text-matches('^Replied')");
    await fillMeasure(page, "second");
    await page.click("button.run.call");
    await page.waitForSelector(".history .past-call >> nth=1");
    await page.goto(at("Overflowing"));
    await page.click("button.run.call");
    await page.waitForSelector(".history .past-call >> nth=2");
    const entries = page.locator(".history .past-call .past-link");
    assert.deepEqual(await entries.locator("code").allTextContents(), ["Overflowing", "Measure", "Measure"]);
    assert.deepEqual(
      await entries.locator(".outcome").evaluateAll((dots) => dots.map((dot) => dot.getAttribute("aria-label"))),
      ["failed", "succeeded", "succeeded"],
    );
    assert.ok((await entries.locator(".past-time").allTextContents()).every((time) => /^\d+ ms$/.test(time)));
    // Looking again: the older call's parameters in the form, and what came back.
    await entries.nth(2).click();
    await page.waitForSelector('article.method[data-method="org.example.counter.Measure"]');
    assert.equal(await page.inputValue('[data-field="label"] [data-field="text"] input'), "first");
    assert.match((await page.textContent(".status")) ?? "", /^Earlier \(.+\): Replied in \d+ ms\.$/);
    assert.equal((JSON.parse((await page.textContent(".past-result")) ?? "") as { size: number }).size, 5);
    // Running again: the same call, made now, and kept as the newest.
    await page.locator(".history .past-call").nth(1).locator("button.rerun").click();
    await page.waitForSelector(".history .past-call >> nth=3");
    assert.match((await page.textContent(".status")) ?? "", /^Replied in \d+ ms\.$/);
    assert.equal(await page.inputValue('[data-field="label"] [data-field="text"] input'), "second");
    assert.deepEqual(await entries.locator("code").allTextContents(), ["Measure", "Overflowing", "Measure", "Measure"]);
    await screenshot(page, shots, "history");
    assert.deepEqual(errors, []);
  });

  test("dark mode, wide: the colours follow the system", async (t) => {
    const browser = await launchChromium(t);
    if (browser === undefined) return;
    const { page, errors } = await openPage(browser, at("Measure"));
    await page.setViewportSize(wide);
    await page.emulateMedia({ colorScheme: "dark" });
    await page.waitForSelector("article.method");
    await fillMeasure(page, "dark");
    await page.click("button.run.call");
    await page.waitForSelector(".status:text-matches('^Replied')");
    const [r, g, b] = (await page.evaluate<string>("getComputedStyle(document.body).backgroundColor"))
      .match(/\d+/g)!
      .map(Number);
    assert.ok((r! + g! + b!) / 3 < 60, "dark background");
    await page.evaluate("window.scrollTo(0, 0)");
    await screenshot(page, shots, "dark");
    await page.goto(`${bridge.url}/`);
    await page.waitForSelector(".landing");
    await screenshot(page, shots, "landing-dark");
    await page.emulateMedia({ colorScheme: "light" });
    await page.goto(at("Measure"));
    await page.waitForSelector("article.method");
    await screenshot(page, shots, "wide");
    assert.deepEqual(errors, []);
  });
});
