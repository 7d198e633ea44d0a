import assert from "node:assert/strict";
import http from "node:http";
import { readFileSync } from "node:fs";
import path from "node:path";
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { after, before, describe, test } from "node:test";
import { build } from "esbuild";
import { connectWebSocket, createClient, HttpConnection, SocketConnection } from "@varlink-ts/runtime";
import { NoRecordFound, UserDatabase } from "../generated/io.systemd.UserDatabase.js";
import { startBridge, type BridgeProcess } from "../helpers/bridge.js";
import { launchChromium, openPage } from "../helpers/browser.js";
import { docSnippet } from "../helpers/docs.js";
import { repoRoot } from "../helpers/paths.js";
import { projectWith, typeCheck } from "../helpers/typecheck.js";
import { startUserdbd, userdbAddress, userdbService as service, type Userdbd } from "../helpers/userdbd.js";

// systemd-userdbd behind `varlink-ts bridge http`: curl-style requests, the generated client over
// HTTP and over a WebSocket, and a page in Chromium doing the same.

describe("the HTTP bridge in front of systemd-userdbd", () => {
  let daemon: Userdbd;
  let bridge: BridgeProcess;
  let page: http.Server;
  let pageOrigin = "";
  /** What the service sends when asked directly, to compare the bridged streams with. */
  const directMemberships: unknown[] = [];
  before(async () => {
    daemon = await startUserdbd();
    if (daemon.unavailable) return;
    const client = await SocketConnection.connect(userdbAddress);
    for await (const m of client.more("io.systemd.UserDatabase.GetMemberships", { service })) directMemberships.push(m);
    await client.close();
    // The page is served from its own origin, which the bridge is told to allow.
    page = await servePage();
    const address = page.address() as { port: number };
    pageOrigin = `http://127.0.0.1:${address.port}`;
    bridge = await startBridge(["--service", `userdb=${userdbAddress}`, "--allow-origin", pageOrigin]);
  });
  after(async () => {
    await bridge?.stop();
    page?.close();
    await daemon.stop();
  });

  test("curl-style: GetUserRecord, NoRecordFound as 500, GetMemberships as application/json-seq", async (t) => {
    if (daemon.unavailable) return t.skip(daemon.unavailable);
    const call = (method: string, body: object, accept = "application/json"): Promise<Response> =>
      fetch(`${bridge.url}/call/io.systemd.UserDatabase.${method}`, {
        method: "POST",
        headers: { "Content-Type": "application/json", Accept: accept },
        body: JSON.stringify(body),
      });
    const root = await call("GetUserRecord", { userName: "root", service });
    assert.equal(root.status, 200);
    const record = ((await root.json()) as { record: { userName: string; uid: number } }).record;
    assert.deepEqual([record.userName, record.uid], ["root", 0]);
    const none = await call("GetUserRecord", { userName: "no-such-user-varlink-ts", service });
    assert.equal(none.status, 500);
    assert.equal(((await none.json()) as { error: string }).error, "io.systemd.UserDatabase.NoRecordFound");
    const memberships = await call("GetMemberships", { service }, "application/json-seq");
    assert.equal(memberships.headers.get("content-type"), "application/json-seq");
    const text = await memberships.text();
    const records = text.split("\u001e").filter((r) => r !== "");
    for (const r of records) {
      assert.ok(r.endsWith("\n"), "each record ends with LF");
      const value = JSON.parse(r) as { userName: string; groupName: string };
      assert.equal(typeof value.groupName, "string");
    }
    assert.equal(records.length, directMemberships.length, "as many as the service itself sends");
  });

  test("the generated client through the bridge, over HTTP and over a WebSocket", async (t) => {
    if (daemon.unavailable) return t.skip(daemon.unavailable);
    const overHttp = createClient(UserDatabase, new HttpConnection(bridge.url, { service: "userdb" }), {
      validateReplies: true,
    });
    const root = await overHttp.GetUserRecord({ userName: "root", service });
    assert.equal(root.record["uid"], 0);
    await assert.rejects(
      overHttp.GetUserRecord({ userName: "no-such-user-varlink-ts", service }),
      (e) => e instanceof NoRecordFound,
    );
    const streamed = [];
    for await (const m of overHttp.GetMemberships.more({ service })) streamed.push(m);
    assert.deepEqual(streamed, directMemberships);

    const socket = await connectWebSocket(`ws://127.0.0.1:${bridge.port}/ws/services/userdb`);
    const overWebSocket = createClient(UserDatabase, socket, { validateReplies: true });
    const [user, group] = await Promise.all([
      overWebSocket.GetUserRecord({ uid: 0, service }),
      overWebSocket.GetGroupRecord({ gid: 0, service }),
    ]);
    assert.equal(user.record["userName"], "root");
    assert.equal(group.record["groupName"], "root");
    const overSocket = [];
    for await (const m of overWebSocket.GetMemberships.more({ service })) overSocket.push(m);
    assert.deepEqual(overSocket, directMemberships);
    await assert.rejects(
      overWebSocket.GetUserRecord({ userName: "no-such-user-varlink-ts", service }),
      (e) => e instanceof NoRecordFound,
    );
    await socket.close();
  });

  test("docs/bridge.md's bridge-client block, compiled under strict, runs through the bridge", async (t) => {
    if (daemon.unavailable) return t.skip(daemon.unavailable);
    const snippet = docSnippet("bridge-client")
      .replace('"http://127.0.0.1:8080"', JSON.stringify(bridge.url))
      .replace('"ws://127.0.0.1:8080/', JSON.stringify(`ws://127.0.0.1:${bridge.port}/`).slice(0, -1));
    const project = projectWith([
      {
        path: "generated/io.systemd.UserDatabase.ts",
        content: readFileSync(path.join(repoRoot, "test", "generated", "io.systemd.UserDatabase.ts"), "utf8"),
      },
      { path: "bridge-client.ts", content: snippet },
    ]);
    const compiled = typeCheck(
      project,
      ["bridge-client.ts"],
      ["--strict", "--exactOptionalPropertyTypes", "--noEmit", "false", "--outDir", "dist"],
    );
    assert.equal(compiled.status, 0, compiled.output);
    const { stdout } = await promisify(execFile)(process.execPath, [path.join(project, "dist", "bridge-client.js")], {
      timeout: 30_000,
    });
    const memberships = directMemberships.map((m) => {
      const { userName, groupName } = m as { userName: string; groupName: string };
      return `${userName} in ${groupName}\n`;
    });
    assert.equal(stdout, `root\n${memberships.join("")}`);
  });

  test("a page in Chromium calls userdbd through the bridge with the generated client", async (t) => {
    if (daemon.unavailable) return t.skip(daemon.unavailable);
    const browser = await launchChromium(t);
    if (browser === undefined) return;
    const { page: tab, errors } = await openPage(browser, `${pageOrigin}/?bridge=${encodeURIComponent(bridge.url)}`);
    await tab.waitForFunction(
      () =>
        (
          globalThis as unknown as { document: { getElementById(id: string): { textContent: string } } }
        ).document.getElementById("result").textContent !== "loading",
      undefined,
      { timeout: 20_000 },
    );
    const shown = await tab.textContent("#result");
    assert.deepEqual(errors, []);
    assert.deepEqual(JSON.parse(shown ?? ""), {
      user: "root",
      uid: 0,
      missing: "NoRecordFound",
      group: "root",
      memberships: directMemberships.length,
      intercepted: ["GetUserRecord call", "GetUserRecord call", "GetGroupRecord call", "GetMemberships more"],
    });
  });
});

/** The page and its script, bundled for the browser with the runtime's browser entry. */
async function servePage(): Promise<http.Server> {
  const bundled = await build({
    entryPoints: [path.join(repoRoot, "dist", "test", "e2e", "browser", "page.js")],
    bundle: true,
    write: false,
    format: "esm",
    platform: "browser",
    // @varlink-ts/runtime resolves as for any bundler: its package's "browser" condition.
    logLevel: "silent",
  });
  const script = bundled.outputFiles[0]!.text;
  const html = `<!doctype html><meta charset="utf-8"><title>varlink-ts</title><p id="result">loading</p><script type="module" src="/page.js"></script>`;
  const server = http.createServer((request, response) => {
    const [type, body] = request.url === "/page.js" ? ["text/javascript", script] : ["text/html", html];
    response.writeHead(200, { "Content-Type": type }).end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return server;
}
