import assert from "node:assert/strict";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { SocketConnection } from "@varlink-ts/runtime";
import { startBridge, type BridgeProcess } from "../helpers/bridge.js";
import { launchChromium, openPage, screenshot } from "../helpers/browser.js";
import { corpusDir, corpusSkip } from "../helpers/paths.js";
import { startUserdbd, userdbAddress, userdbService as service, type Userdbd } from "../helpers/userdbd.js";

// The explorer (bridge http --ui) in Chromium against systemd-userdbd. userdbd 252 cannot
// describe itself, so the bridge is given its interface file. Each state is also saved as a
// screenshot under dist/screenshots/explorer-userdbd/.

const shots = "explorer-userdbd";

describe("the explorer in front of systemd-userdbd", { skip: corpusSkip }, () => {
  let daemon: Userdbd;
  let bridge: BridgeProcess;
  let directMemberships = 0;
  before(async () => {
    daemon = await startUserdbd();
    if (daemon.unavailable) return;
    const client = await SocketConnection.connect(userdbAddress);
    for await (const _ of client.more("io.systemd.UserDatabase.GetMemberships", { service })) directMemberships++;
    await client.close();
    bridge = await startBridge([
      "--ui",
      "--service",
      `userdb=${userdbAddress}`,
      "--interface-file",
      `userdb=${path.join(corpusDir, "valid", "io.systemd.UserDatabase.varlink")}`,
    ]);
  });
  after(async () => {
    await bridge?.stop();
    await daemon.stop();
  });
  const method = (name: string): string => `${bridge.url}/#userdb/io.systemd.UserDatabase.${name}`;

  test("it lists the service's interface, methods and errors", async (t) => {
    if (daemon.unavailable) return t.skip(daemon.unavailable);
    const browser = await launchChromium(t);
    if (browser === undefined) return;
    const { page, errors } = await openPage(browser, `${bridge.url}/`);
    await page.waitForSelector(".method-link");
    assert.deepEqual(await page.locator(".method-link").allTextContents(), [
      "GetUserRecord",
      "GetGroupRecord",
      "GetMemberships",
    ]);
    assert.deepEqual(await page.locator(".error-declaration code").allTextContents(), [
      "NoRecordFound",
      "BadService",
      "ServiceNotAvailable",
      "ConflictingRecordFound",
      "EnumerationNotSupported",
    ]);
    assert.match((await page.textContent(".interface summary")) ?? "", /io\.systemd\.UserDatabase\s*from a file/);
    await screenshot(page, shots, "1-services");
    assert.deepEqual(errors, []);
  });

  test("GetUserRecord filled in the form shows root's record", async (t) => {
    if (daemon.unavailable) return t.skip(daemon.unavailable);
    const browser = await launchChromium(t);
    if (browser === undefined) return;
    const { page, errors } = await openPage(browser, method("GetUserRecord"));
    await page.check('[data-field="userName"] .set input');
    await page.fill('[data-field="userName"] input[type="text"]', "root");
    await page.fill('[data-field="service"] input[type="text"]', service);
    await page.click("button.run.call");
    await page.waitForSelector(".reply");
    const record = JSON.parse((await page.textContent(".reply pre")) ?? "") as {
      record: { userName: string; uid: number };
    };
    assert.deepEqual([record.record.userName, record.record.uid], ["root", 0]);
    await screenshot(page, shots, "2-get-user-record");
    assert.deepEqual(errors, []);
  });

  test("GetMemberships streams every reply the service sends", async (t) => {
    if (daemon.unavailable) return t.skip(daemon.unavailable);
    const browser = await launchChromium(t);
    if (browser === undefined) return;
    const { page, errors } = await openPage(browser, method("GetMemberships"));
    await page.fill('[data-field="service"] input[type="text"]', service);
    await page.click("button.run.more");
    await page.waitForSelector(".status:text-matches('^Done')");
    assert.equal(await page.locator(".reply").count(), directMemberships);
    assert.match(
      (await page.textContent(".status")) ?? "",
      new RegExp(
        `^Done: ${directMemberships} ${directMemberships === 1 ? "reply" : "replies"} in \\d+(\\.\\d)? m?s\\.$`,
      ),
    );
    await screenshot(page, shots, "3-get-memberships");
    assert.deepEqual(errors, []);
  });

  test("NoRecordFound is shown as an error, by name", async (t) => {
    if (daemon.unavailable) return t.skip(daemon.unavailable);
    const browser = await launchChromium(t);
    if (browser === undefined) return;
    const { page, errors } = await openPage(browser, method("GetUserRecord"));
    await page.check('[data-field="userName"] .set input');
    await page.fill('[data-field="userName"] input[type="text"]', "no-such-user-varlink-ts");
    await page.fill('[data-field="service"] input[type="text"]', service);
    await page.click("button.run.call");
    await page.waitForSelector(".error-reply");
    assert.equal(await page.textContent(".error-name"), "io.systemd.UserDatabase.NoRecordFound");
    await screenshot(page, shots, "4-no-record-found");
    assert.deepEqual(errors, []);
  });

  test("a wrong type is shown at its field and nothing is sent", async (t) => {
    if (daemon.unavailable) return t.skip(daemon.unavailable);
    const browser = await launchChromium(t);
    if (browser === undefined) return;
    const { page, errors } = await openPage(browser, method("GetUserRecord"));
    const calls: string[] = [];
    page.on("request", (request) => {
      if (request.url().includes("/call/")) calls.push(request.url());
    });
    await page.check('[data-field="uid"] .set input');
    await page.fill('[data-field="uid"] input[type="text"]', "zero");
    await page.fill('[data-field="service"] input[type="text"]', service);
    await page.click("button.run.call");
    await page.waitForSelector('[data-field="uid"] .field-error');
    assert.equal(await page.textContent('[data-field="uid"] .field-error'), 'expected int, got "zero"');
    assert.match((await page.textContent(".not-sent")) ?? "", /Not sent: 1 problem/);
    assert.deepEqual(calls, []);
    await screenshot(page, shots, "5-wrong-type");
    assert.deepEqual(errors, []);
  });
});
