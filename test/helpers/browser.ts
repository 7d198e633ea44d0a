import { existsSync, mkdirSync } from "node:fs";
import path from "node:path";
import type { TestContext } from "node:test";
import { chromium, type Browser, type Page } from "playwright-core";
import { repoRoot } from "./paths.js";

// Debian's Chromium, driven by playwright-core. On CI (.ci/run installs it) a missing browser is
// a failure; elsewhere the test is skipped with the reason.

const chromiumPath = "/usr/bin/chromium";

/** Where tests leave screenshots for people to look at (ignored by git, under dist/). */
export const screenshotFolder = path.join(repoRoot, "dist", "screenshots");

/** A Chromium for the test, closed after it; undefined (and the test skipped) when there is none. */
export async function launchChromium(t: TestContext): Promise<Browser | undefined> {
  if (!existsSync(chromiumPath)) {
    const reason = `${chromiumPath} is not installed (apt-get install chromium)`;
    if (process.env["CI"]) throw new Error(reason);
    t.skip(reason);
    return undefined;
  }
  const browser = await chromium.launch({
    executablePath: chromiumPath,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
  t.after(() => browser.close());
  return browser;
}

/** A page whose script errors fail the test: they are collected for the test to assert on. */
export async function openPage(browser: Browser, url: string): Promise<{ page: Page; errors: string[] }> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const errors: string[] = [];
  page.on("pageerror", (error) => errors.push(error.message));
  await page.goto(url);
  return { page, errors };
}

export async function screenshot(page: Page, folder: string, name: string): Promise<void> {
  mkdirSync(path.join(screenshotFolder, folder), { recursive: true });
  await page.screenshot({ path: path.join(screenshotFolder, folder, `${name}.png`), fullPage: true });
}
