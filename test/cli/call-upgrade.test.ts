import assert from "node:assert/strict";
import { describe, test, type TestContext } from "node:test";
import { VarlinkServer } from "@varlink-ts/runtime";
import { spawn } from "node:child_process";
import { binPath, cliProcess } from "../helpers/cli.js";
import { eventually, socketAddress } from "../helpers/runtime.js";

// varlink-ts call --upgrade, as varlinkctl has it: after the reply, standard input and output
// are the raw connection, until the service closes it.

const shoutText = `interface org.example.shout

# [Requires 'upgrade' flag]
method Shout() -> (ready: bool)
`;

async function serve(t: TestContext): Promise<string> {
  const server = new VarlinkServer({ logger: () => {} });
  server.addInterface({
    name: "org.example.shout",
    description: shoutText,
    methods: {
      Shout: {
        upgrade: "requires",
        // Upper-cases what it reads, and ends when the client does.
        handler: (_parameters: object, context) => {
          const stream = context.upgradeConnection({ ready: true });
          stream.on("data", (chunk: Buffer) => stream.write(chunk.toString().toUpperCase()));
          stream.on("end", () => stream.end());
          stream.resume();
        },
      },
    },
  });
  const { address } = socketAddress("shout.sock");
  await server.listen(address);
  t.after(() => server.close({ timeout: 0 }));
  return address;
}

describe("call --upgrade", () => {
  test("after the reply, standard input goes to the service and what it sends to standard output", async (t) => {
    const address = await serve(t);
    const run = await cliProcess(["call", "--upgrade", address, "org.example.shout.Shout"], {
      stdin: "quiet words\nstill quiet\n",
    });
    assert.equal(run.code, 0, run.stderr);
    assert.equal(run.stdout, "QUIET WORDS\nSTILL QUIET\n");
    assert.equal(run.stderr, '{"ready":true}\n');
  });

  test("--upgrade with --more is a usage error", async () => {
    const run = await cliProcess(["call", "--upgrade", "--more", "unix:/nowhere", "org.example.shout.Shout"]);
    assert.equal(run.code, 2);
    assert.match(run.stderr, /--upgrade cannot be used with --more/);
  });

  test("an error reply instead of the upgrade fails as any call does", async (t) => {
    const address = await serve(t);
    const run = await cliProcess(["call", "--upgrade", address, "org.example.shout.Whisper"]);
    assert.equal(run.code, 1);
    assert.match(run.stderr, /org\.example\.shout\.Whisper failed: org\.varlink\.service\.MethodNotFound/);
  });

  for (const [signal, code] of [
    ["SIGTERM", 143],
    ["SIGINT", 130],
  ] as const) {
    test(`once upgraded, ${signal} closes the connection and exits ${code}`, async (t) => {
      const address = await serve(t);
      // Standard input stays open: the connection would last for ever.
      const child = spawn(process.execPath, [binPath, "call", "--upgrade", address, "org.example.shout.Shout"], {
        stdio: ["pipe", "pipe", "pipe"],
      });
      t.after(() => child.kill("SIGKILL"));
      let stderr = "";
      child.stderr.setEncoding("utf8").on("data", (text: string) => (stderr += text));
      await eventually(() => stderr.includes('{"ready":true}'), "the call is upgraded");
      child.kill(signal);
      await eventually(() => child.exitCode !== null, `the command exits on ${signal}`, 3000);
      assert.equal(child.exitCode, code);
    });
  }
});
