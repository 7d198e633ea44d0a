import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { MethodNotFound, SocketConnection } from "@varlink-ts/runtime";
import { startUserdbd, userdbAddress, userdbService, type Userdbd } from "../helpers/userdbd.js";

// A real systemd varlink service (Debian systemd-userdbd): our client against its multiplexer.

const address = userdbAddress;
const service = userdbService;

describe("systemd-userdbd (io.systemd.UserDatabase)", () => {
  let daemon: Userdbd;
  let unavailable: string | undefined;

  before(async () => {
    daemon = await startUserdbd();
    unavailable = daemon.unavailable;
  });

  after(() => daemon.stop());

  test("GetUserRecord for root", async (t) => {
    if (unavailable) return t.skip(unavailable);
    const client = await SocketConnection.connect(address);
    const reply = (await client.call("io.systemd.UserDatabase.GetUserRecord", { userName: "root", service })) as {
      record: { userName: string; uid: number; gid: number; homeDirectory: string };
      incomplete: boolean;
    };
    assert.equal(reply.record.userName, "root");
    assert.equal(reply.record.uid, 0);
    assert.equal(reply.record.gid, 0);
    assert.equal(reply.record.homeDirectory, "/root");
    assert.equal(typeof reply.incomplete, "boolean");
    await client.close();
  });

  test("GetMemberships streamed with more", async (t) => {
    if (unavailable) return t.skip(unavailable);
    const client = await SocketConnection.connect(address);
    const memberships: Array<{ userName: string; groupName: string }> = [];
    for await (const reply of client.more("io.systemd.UserDatabase.GetMemberships", { service })) {
      memberships.push(reply as { userName: string; groupName: string });
    }
    for (const m of memberships) {
      assert.equal(typeof m.userName, "string");
      assert.equal(typeof m.groupName, "string");
    }
    // The stream ended cleanly, and the connection carries on with the next call.
    const group = (await client.call("io.systemd.UserDatabase.GetGroupRecord", { gid: 0, service })) as {
      record: { groupName: string; gid: number };
    };
    assert.equal(group.record.groupName, "root");
    await client.close();
  });

  test("its errors arrive as classes: version 252 has no GetInterfaceDescription", async (t) => {
    if (unavailable) return t.skip(unavailable);
    const client = await SocketConnection.connect(address);
    await assert.rejects(
      client.call("org.varlink.service.GetInterfaceDescription", { interface: "io.systemd.UserDatabase" }),
      (e: unknown) => e instanceof MethodNotFound || (e as Error).name === "VarlinkError",
    );
    await assert.rejects(
      client.call("io.systemd.UserDatabase.GetUserRecord", { userName: "no-such-user-varlink-ts", service }),
      /io\.systemd\.UserDatabase\.NoRecordFound/,
    );
    await client.close();
  });
});
