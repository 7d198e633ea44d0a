import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import path from "node:path";
import { Ajv2020 } from "ajv/dist/2020.js";
import { after, before, describe, test, type TestContext } from "node:test";
import { SocketConnection } from "@varlink-ts/runtime";
import { startBridge, type BridgeProcess } from "../helpers/bridge.js";
import { describeRebinding } from "../helpers/bridge-rebinding.js";
import { corpusDir, corpusSkip } from "../helpers/paths.js";
import { startUserdbd, userdbAddress, userdbService as service, type Userdbd } from "../helpers/userdbd.js";
import { parseInterface, toInterfaceModel } from "../../src/idl/index.js";
import { openApiDocument } from "../../src/openapi/index.js";

// UAPI.20's simple mode through the bridge in front of systemd-userdbd, a real service: its
// statuses, routes and streams. (systemd-userdbd 252 answers org.varlink.service.GetInfo with
// MethodNotImplemented, which makes it the real-world case of a 501.)

const post = (url: string, body: object, headers: Record<string, string> = {}): Promise<Response> =>
  fetch(url, {
    method: "POST",
    headers: { "Content-Type": "application/json", ...headers },
    body: JSON.stringify(body),
  });

describe("UAPI.20 through the bridge in front of systemd-userdbd", { skip: corpusSkip }, () => {
  let daemon: Userdbd;
  let bridge: BridgeProcess;
  const directMemberships: unknown[] = [];
  before(async () => {
    daemon = await startUserdbd();
    if (daemon.unavailable) return;
    const client = await SocketConnection.connect(userdbAddress);
    for await (const m of client.more("io.systemd.UserDatabase.GetMemberships", { service })) directMemberships.push(m);
    await client.close();
    // Named after its interface, so that /call/METHOD finds it without ?service=.
    bridge = await startBridge([
      "--service",
      `io.systemd.UserDatabase=${userdbAddress}`,
      "--service",
      `userdb=${userdbAddress}`,
      // userdbd 252 cannot describe itself: the introspection routes read the interface file instead.
      "--interface-file",
      `userdb=${path.join(corpusDir, "valid", "io.systemd.UserDatabase.varlink")}`,
    ]);
  });
  after(async () => {
    await bridge?.stop();
    await daemon.stop();
  });
  const live = (name: string, body: () => Promise<void>): void => {
    test(name, async (t: TestContext) => {
      if (daemon.unavailable) return t.skip(daemon.unavailable);
      await body();
    });
  };

  live("POST /call/METHOD reaches the service named after the interface: 200 with the reply", async () => {
    const response = await post(`${bridge.url}/call/io.systemd.UserDatabase.GetUserRecord`, {
      userName: "root",
      service,
    });
    assert.equal(response.status, 200);
    assert.equal(((await response.json()) as { record: { uid: number } }).record.uid, 0);
  });

  live("POST /call/SERVICE/METHOD names the service", async () => {
    const response = await post(`${bridge.url}/call/userdb/io.systemd.UserDatabase.GetGroupRecord`, {
      gid: 0,
      service,
    });
    assert.equal(response.status, 200);
    assert.equal(((await response.json()) as { record: { groupName: string } }).record.groupName, "root");
  });

  live("an error of the interface (NoRecordFound) is 500 with its name", async () => {
    const response = await post(`${bridge.url}/call/userdb/io.systemd.UserDatabase.GetUserRecord`, {
      userName: "no-such-user-varlink-ts",
      service,
    });
    assert.equal(response.status, 500);
    assert.deepEqual(await response.json(), { error: "io.systemd.UserDatabase.NoRecordFound", parameters: {} });
  });

  live("MethodNotFound is 404", async () => {
    const response = await post(`${bridge.url}/call/userdb/io.systemd.UserDatabase.Nope`, {});
    assert.equal(response.status, 404);
    assert.deepEqual(await response.json(), {
      error: "org.varlink.service.MethodNotFound",
      parameters: { method: "io.systemd.UserDatabase.Nope" },
    });
  });

  live("MethodNotImplemented is 501", async () => {
    const response = await post(`${bridge.url}/call/userdb/org.varlink.service.GetInfo`, {});
    assert.equal(response.status, 501);
    assert.deepEqual(await response.json(), {
      error: "org.varlink.service.MethodNotImplemented",
      parameters: { method: "org.varlink.service.GetInfo" },
    });
  });

  live("GET /services/SERVICE passes GetInfo's MethodNotImplemented on as 501", async () => {
    const response = await fetch(`${bridge.url}/services/userdb`);
    assert.equal(response.status, 501);
  });

  live("?more=true streams GetMemberships as application/json-seq, every record the service sends", async () => {
    const response = await post(`${bridge.url}/call/userdb/io.systemd.UserDatabase.GetMemberships?more=true`, {
      service,
    });
    assert.equal(response.status, 200);
    assert.equal(response.headers.get("content-type"), "application/json-seq");
    const records = (await response.text()).split("\u001e").filter((r) => r !== "");
    assert.ok(
      records.every((r) => r.endsWith("\n")),
      "each record ends with LF",
    );
    assert.deepEqual(
      records.map((r) => JSON.parse(r) as unknown),
      directMemberships,
    );
  });

  live(
    "GET /services/SERVICE/INTERFACE lists the methods from --interface-file when the service cannot describe itself",
    async () => {
      const response = await fetch(`${bridge.url}/services/userdb/io.systemd.UserDatabase`);
      assert.deepEqual(await response.json(), { methods: ["GetUserRecord", "GetGroupRecord", "GetMemberships"] });
    },
  );

  live("without --interface-file, the service's MethodNotFound for GetInterfaceDescription is passed on", async () => {
    const response = await fetch(`${bridge.url}/services/io.systemd.UserDatabase/io.systemd.UserDatabase`);
    assert.equal(response.status, 404);
    assert.equal(((await response.json()) as { error: string }).error, "org.varlink.service.MethodNotFound");
  });

  live("GET /openapi/SERVICE/INTERFACE is built from --interface-file", async () => {
    const response = await fetch(`${bridge.url}/openapi/userdb/io.systemd.UserDatabase`);
    assert.equal(response.status, 200);
    const document = (await response.json()) as { paths: object };
    assert.ok("/call/userdb/io.systemd.UserDatabase.GetMemberships" in document.paths);
  });

  live("a streamed error ends the sequence with its record (GetUserRecord of a missing user, ?more=true)", async () => {
    const response = await post(`${bridge.url}/call/userdb/io.systemd.UserDatabase.GetUserRecord?more=true`, {
      userName: "no-such-user-varlink-ts",
      service,
    });
    // The error comes before any reply, so it keeps its own status.
    assert.equal(response.status, 500);
    assert.deepEqual(await response.json(), { error: "io.systemd.UserDatabase.NoRecordFound", parameters: {} });
  });
});

describe("the OpenAPI document of io.systemd.UserDatabase against what systemd-userdbd answers", {
  skip: corpusSkip,
}, () => {
  let daemon: Userdbd;
  let bridge: BridgeProcess;
  // systemd-userdbd 252 cannot describe itself, so the document comes from the interface file.
  const text = readFileSync(path.join(corpusDir, "valid", "io.systemd.UserDatabase.varlink"), "utf8");
  const document = openApiDocument([toInterfaceModel(parseInterface(text).definition!)], {
    service: "userdb",
  }) as unknown as { paths: object; components: object };
  const ajv = new Ajv2020({ strict: false }).addFormat("int64", true).addFormat("double", true);
  ajv.addSchema({ $id: "userdb", components: document.components, paths: document.paths });
  /** The schema of a response of METHOD, as the document gives it. */
  const schemaOf = (method: string, status: string, type = "application/json") => {
    const pointer = [
      "paths",
      `/call/userdb/io.systemd.UserDatabase.${method}`,
      "post",
      "responses",
      status,
      "content",
      type,
      "schema",
    ].map((key) => key.replaceAll("~", "~0").replaceAll("/", "~1"));
    return ajv.compile({ $ref: `userdb#/${pointer.join("/")}` });
  };
  before(async () => {
    daemon = await startUserdbd();
    if (!daemon.unavailable) bridge = await startBridge(["--service", `userdb=${userdbAddress}`]);
  });
  after(async () => {
    await bridge?.stop();
    await daemon.stop();
  });

  test("GetUserRecord's reply matches the 200 schema", async (t) => {
    if (daemon.unavailable) return t.skip(daemon.unavailable);
    const response = await post(`${bridge.url}/call/userdb/io.systemd.UserDatabase.GetUserRecord`, {
      userName: "root",
      service,
    });
    const check = schemaOf("GetUserRecord", "200");
    assert.equal(check(await response.json()), true, JSON.stringify(check.errors));
  });

  test("NoRecordFound matches the 500 schema", async (t) => {
    if (daemon.unavailable) return t.skip(daemon.unavailable);
    const response = await post(`${bridge.url}/call/userdb/io.systemd.UserDatabase.GetUserRecord`, {
      userName: "no-such-user-varlink-ts",
      service,
    });
    assert.equal(response.status, 500);
    const check = schemaOf("GetUserRecord", "500");
    assert.equal(check(await response.json()), true, JSON.stringify(check.errors));
  });

  test("every streamed GetMemberships record matches the application/json-seq schema", async (t) => {
    if (daemon.unavailable) return t.skip(daemon.unavailable);
    const response = await post(`${bridge.url}/call/userdb/io.systemd.UserDatabase.GetMemberships?more=true`, {
      service,
    });
    const check = schemaOf("GetMemberships", "200", "application/json-seq");
    const records = (await response.text()).split("\u001e").filter((r) => r !== "");
    assert.ok(records.length > 0);
    for (const record of records)
      assert.equal(check(JSON.parse(record)), true, `${record}: ${JSON.stringify(check.errors)}`);
  });
});

describeRebinding("the HTTP bridge refuses DNS rebinding and foreign pages on every route (systemd-userdbd)", {
  start: async () => {
    const daemon = await startUserdbd();
    if (daemon.unavailable) return { unavailable: daemon.unavailable };
    return { address: userdbAddress, stop: () => daemon.stop() };
  },
  interfaceName: "io.systemd.UserDatabase",
  call: {
    method: "io.systemd.UserDatabase.GetUserRecord",
    body: JSON.stringify({ userName: "root", service }),
    reply: /"userName":"root"/,
  },
  oneway: { method: "io.systemd.UserDatabase.GetUserRecord", body: JSON.stringify({ userName: "root", service }) },
});
