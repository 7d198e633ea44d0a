import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { once } from "node:events";
import { describe, test } from "node:test";
import { VarlinkServer } from "@varlink-ts/runtime";
import { runCertificationClient } from "./certification/client.js";
import { certificationService } from "./certification/service.js";
import { requirePeer } from "../helpers/peers.js";
import { eventually, socketAddress } from "../helpers/runtime.js";

const goCertification = "varlink-go-certification";

describe("org.varlink.certification against the Go reference (Debian varlink-go)", () => {
  test("our server passes the Go client, every step", async (t) => {
    if (!requirePeer(t, goCertification, "varlink-go")) return;
    const { implementation, finished } = certificationService();
    const server = new VarlinkServer({
      vendor: "varlink-ts",
      product: "certification",
      version: "1",
      url: "https://varlink.org",
    });
    server.addInterface(implementation);
    const { address } = socketAddress();
    await server.listen(address);
    const client = spawn(goCertification, ["-client", "-varlink", address], { stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    client.stdout.on("data", (d: Buffer) => (output += d.toString()));
    client.stderr.on("data", (d: Buffer) => (output += d.toString()));
    const [code] = (await once(client, "exit")) as [number];
    assert.equal(code, 0, output);
    // The Go client prints "<step>() failed" and stops at the first failure, else "End: 'true'".
    assert.doesNotMatch(output, /failed/, output);
    for (const step of ["Start", "Test01", "Test05", "Test09", "Test10", "Test11"])
      assert.match(output, new RegExp(`^${step}: `, "m"));
    assert.equal((output.match(/^ {2}Receive: 'Reply number \d+'$/gm) ?? []).length, 10, "Test10 streamed ten replies");
    assert.match(output, /^End: 'true'$/m, output);
    await eventually(() => finished.length === 1, "the session ends");
    assert.equal(finished[0]!.allOk, true, "our server saw every step right, in order");
    await server.close();
  });

  test("our client passes the Go server, every step", async (t) => {
    if (!requirePeer(t, goCertification, "varlink-go")) return;
    const { address } = socketAddress();
    const server = spawn(goCertification, ["-varlink", address], { stdio: "ignore" });
    try {
      const results = await eventuallyConnected(() => runCertificationClient(address));
      assert.deepEqual(
        results.filter((r) => !r.ok),
        [],
      );
      assert.deepEqual(
        results.map((r) => r.step),
        [
          "Start",
          "Test01",
          "Test02",
          "Test03",
          "Test04",
          "Test05",
          "Test06",
          "Test07",
          "Test08",
          "Test09",
          "Test10",
          "Test11",
          "End",
        ],
      );
    } finally {
      server.kill();
    }
  });

  test("our client passes the Go server started by exec: (with a listening socket, as varlink/go takes)", async (t) => {
    if (!requirePeer(t, goCertification, "varlink-go")) return;
    const path = (await import("node:child_process"))
      .execFileSync("sh", ["-c", `command -v ${goCertification}`], { encoding: "utf8" })
      .trim();
    const results = await runCertificationClient(`exec:${path} -varlink unix:/nonexistent/unused`, {
      execSocket: "listening",
    });
    assert.deepEqual(
      results.filter((r) => !r.ok),
      [],
    );
    assert.equal(results.length, 13);
  });
});

/** The Go server needs a moment to create its socket. */
async function eventuallyConnected<T>(run: () => Promise<T>): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await run();
    } catch (error) {
      if (attempt > 50 || !/cannot connect/.test(String(error))) throw error;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}
