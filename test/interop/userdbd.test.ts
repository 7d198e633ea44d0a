import assert from "node:assert/strict";
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdirSync } from "node:fs";
import { after, before, describe, test } from "node:test";
import { MethodNotFound, VarlinkClient } from "../../src/runtime/index.js";
import { eventually } from "../helpers/runtime.js";

// A real systemd varlink service (Debian systemd-userdbd): our client against its multiplexer.

const daemon = "/lib/systemd/systemd-userdbd";
const socketPath = "/run/systemd/userdb/io.systemd.Multiplexer";
const address = `unix:${socketPath}`;
const service = "io.systemd.Multiplexer";

async function answers(): Promise<boolean> {
  try {
    const client = await VarlinkClient.connect(address);
    await client.close();
    return true;
  } catch {
    return false;
  }
}

describe("systemd-userdbd (io.systemd.UserDatabase)", () => {
  let started: ChildProcess | undefined;
  let unavailable: string | undefined;

  before(async () => {
    if (await answers()) return;
    if (!existsSync(daemon)) unavailable = `${daemon} is not installed (apt-get install systemd-userdbd)`;
    else if (process.getuid?.() !== 0) unavailable = "systemd-userdbd must run as root";
    if (unavailable !== undefined) {
      if (process.env["CI"]) throw new Error(unavailable);
      return;
    }
    mkdirSync("/run/systemd/userdb", { recursive: true });
    started = spawn(daemon, [], { stdio: "ignore" });
    const deadline = Date.now() + 10_000;
    while (!(await answers())) {
      if (Date.now() > deadline || started.exitCode !== null) throw new Error("systemd-userdbd did not start answering");
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  });

  after(async () => {
    if (started) {
      started.kill("SIGTERM");
      await eventually(() => started!.exitCode !== null || started!.signalCode !== null, "userdbd exits");
    }
  });

  test("GetUserRecord for root", async (t) => {
    if (unavailable) return t.skip(unavailable);
    const client = await VarlinkClient.connect(address);
    const reply = await client.call<{ record: { userName: string; uid: number; gid: number; homeDirectory: string }; incomplete: boolean }>(
      "io.systemd.UserDatabase.GetUserRecord",
      { userName: "root", service },
    );
    assert.equal(reply.record.userName, "root");
    assert.equal(reply.record.uid, 0);
    assert.equal(reply.record.gid, 0);
    assert.equal(reply.record.homeDirectory, "/root");
    assert.equal(typeof reply.incomplete, "boolean");
    await client.close();
  });

  test("GetMemberships streamed with more", async (t) => {
    if (unavailable) return t.skip(unavailable);
    const client = await VarlinkClient.connect(address);
    const memberships: Array<{ userName: string; groupName: string }> = [];
    for await (const reply of client.more<{ userName: string; groupName: string }>("io.systemd.UserDatabase.GetMemberships", { service })) {
      memberships.push(reply);
    }
    for (const m of memberships) {
      assert.equal(typeof m.userName, "string");
      assert.equal(typeof m.groupName, "string");
    }
    // The stream ended cleanly, and the connection carries on with the next call.
    const group = await client.call<{ record: { groupName: string; gid: number } }>("io.systemd.UserDatabase.GetGroupRecord", { gid: 0, service });
    assert.equal(group.record.groupName, "root");
    await client.close();
  });

  test("its errors arrive as classes: version 252 has no GetInterfaceDescription", async (t) => {
    if (unavailable) return t.skip(unavailable);
    const client = await VarlinkClient.connect(address);
    await assert.rejects(
      client.call("org.varlink.service.GetInterfaceDescription", { interface: "io.systemd.UserDatabase" }),
      (e: unknown) => e instanceof MethodNotFound || (e as Error).name === "VarlinkError",
    );
    await assert.rejects(client.call("io.systemd.UserDatabase.GetUserRecord", { userName: "no-such-user-varlink-ts", service }), /io\.systemd\.UserDatabase\.NoRecordFound/);
    await client.close();
  });
});
