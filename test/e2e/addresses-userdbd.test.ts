import assert from "node:assert/strict";
import { after, before, describe, test, type TestContext } from "node:test";
import { startBridge, type BridgeProcess } from "../helpers/bridge.js";
import { cliProcess } from "../helpers/cli.js";
import { startUserdbd, userdbAddress, userdbService, userdbSocket, type Userdbd } from "../helpers/userdbd.js";

// systemd-userdbd reached by each kind of address the CLI takes: its socket's plain path, and
// our HTTP bridge in front of it by http:// and ws:// URLs.

const getRoot = ["io.systemd.UserDatabase.GetUserRecord", JSON.stringify({ userName: "root", service: userdbService })];
const memberships = ["io.systemd.UserDatabase.GetMemberships", JSON.stringify({ service: userdbService })];

function rootUid(stdout: string): number {
  return (JSON.parse(stdout) as { record: { uid: number } }).record.uid;
}

describe("systemd-userdbd by every address kind", () => {
  let daemon: Userdbd;
  let bridge: BridgeProcess | undefined;
  let guarded: BridgeProcess | undefined;
  const token = "userdbd-address-test-token";
  before(async () => {
    daemon = await startUserdbd();
    if (daemon.unavailable) return;
    // Named after the interface, so /call/METHOD and a ws:// base URL find it without ?service=.
    bridge = await startBridge([
      "--service",
      `io.systemd.UserDatabase=${userdbAddress}`,
      "--service",
      `userdb=${userdbAddress}`,
    ]);
    guarded = await startBridge(["--service", `io.systemd.UserDatabase=${userdbAddress}`], {
      VARLINK_TS_BRIDGE_TOKEN: token,
    });
  });
  after(async () => {
    await bridge?.stop();
    await guarded?.stop();
    await daemon.stop();
  });

  function ready(t: TestContext): BridgeProcess | undefined {
    if (daemon.unavailable) t.skip(daemon.unavailable);
    return bridge;
  }

  test("a plain socket path", async (t) => {
    if (!ready(t)) return;
    const run = await cliProcess(["call", userdbSocket, ...getRoot]);
    assert.equal(run.code, 0, run.stderr);
    assert.equal(rootUid(run.stdout), 0);
  });

  test("an http:// bridge URL, the service found from the interface", async (t) => {
    const http = ready(t);
    if (!http) return;
    const run = await cliProcess(["call", http.url, ...getRoot]);
    assert.equal(run.code, 0, run.stderr);
    assert.equal(rootUid(run.stdout), 0);
  });

  test("an http:// bridge URL with ?service= naming the service", async (t) => {
    const http = ready(t);
    if (!http) return;
    const run = await cliProcess(["call", `${http.url}?service=userdb`, ...getRoot]);
    assert.equal(run.code, 0, run.stderr);
    assert.equal(rootUid(run.stdout), 0);
  });

  test("an http:// bridge URL streams --more replies", async (t) => {
    const http = ready(t);
    if (!http) return;
    const run = await cliProcess(["call", "--collect", http.url, ...memberships]);
    assert.equal(run.code, 0, run.stderr);
    const replies = JSON.parse(run.stdout) as Array<{ groupName: string }>;
    assert.ok(replies.length > 0);
    for (const reply of replies) assert.equal(typeof reply.groupName, "string");
  });

  test("an http:// bridge URL carries an error reply through", async (t) => {
    const http = ready(t);
    if (!http) return;
    const run = await cliProcess([
      "call",
      http.url,
      "io.systemd.UserDatabase.GetUserRecord",
      JSON.stringify({ userName: "no-such-user-varlink-ts", service: userdbService }),
    ]);
    assert.equal(run.code, 1);
    assert.match(run.stderr, /failed: io\.systemd\.UserDatabase\.NoRecordFound/);
  });

  test("a ws:// bridge URL, the service found from the interface", async (t) => {
    const http = ready(t);
    if (!http) return;
    const run = await cliProcess(["call", http.url.replace(/^http:/, "ws:"), ...getRoot]);
    assert.equal(run.code, 0, run.stderr);
    assert.equal(rootUid(run.stdout), 0);
  });

  test("a ws:// URL of the service's own route streams --more replies", async (t) => {
    const http = ready(t);
    if (!http) return;
    const run = await cliProcess([
      "call",
      "--more",
      `${http.url.replace(/^http:/, "ws:")}/ws/services/userdb`,
      ...memberships,
    ]);
    assert.equal(run.code, 0, run.stderr);
    const records = run.stdout.split("\u001e").filter((record) => record !== "");
    assert.ok(records.length > 0);
    for (const record of records)
      assert.equal(typeof (JSON.parse(record) as { groupName: string }).groupName, "string");
  });

  test("a bridge's token comes from $VARLINK_TS_BRIDGE_TOKEN", async (t) => {
    if (!ready(t) || !guarded) return;
    const refused = await cliProcess(["call", guarded.url, ...getRoot]);
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /401|token/i);
    const run = await cliProcess(["call", guarded.url, ...getRoot], { env: { VARLINK_TS_BRIDGE_TOKEN: token } });
    assert.equal(run.code, 0, run.stderr);
    assert.equal(rootUid(run.stdout), 0);
  });
});
