import assert from "node:assert/strict";
import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { after, before, describe, test, type TestContext } from "node:test";
import { binPath } from "../helpers/cli.js";
import { eventually, startServer, testService, type TestServer, type TestState } from "../helpers/runtime.js";

// A long-running `call` ends as Unix tools do: Ctrl-C (130) and SIGTERM (143) close the
// connection and exit at once, whatever has been received; a reader that goes away (EPIPE)
// ends it quietly with 141, as SIGPIPE would. Never a stack trace.

describe("call --more and --collect end on signals and a closed output", () => {
  const state: TestState = { started: 0, running: 0, notified: [] };
  let service: TestServer;
  before(async () => {
    service = await startServer([testService(state)]);
  });
  after(() => service.server.close({ timeout: 0 }));

  /** `varlink-ts call ARGS` on the test service's endless stream, once it is streaming. */
  async function streaming(
    t: TestContext,
    flags: string[],
  ): Promise<{ child: ChildProcessWithoutNullStreams; stderr: () => string; stdout: () => string }> {
    const child = spawn(process.execPath, [binPath, "call", ...flags, service.address, "org.example.test.Forever"], {
      stdio: "pipe",
    });
    t.after(() => child.kill("SIGKILL"));
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (text: string) => (stdout += text));
    child.stderr.setEncoding("utf8").on("data", (text: string) => (stderr += text));
    await eventually(() => state.running === 1, "the stream runs", 10_000);
    return { child, stdout: () => stdout, stderr: () => stderr };
  }

  const cases: Array<[string, string[], NodeJS.Signals, number]> = [
    ["--more, Ctrl-C", ["--more"], "SIGINT", 130],
    ["--more, SIGTERM", ["--more"], "SIGTERM", 143],
    ["--collect, Ctrl-C", ["--collect"], "SIGINT", 130],
  ];
  for (const [what, flags, signal, code] of cases) {
    test(`${what}: closes the connection and exits ${code} at once, without a word`, async (t) => {
      const { child, stdout, stderr } = await streaming(t, flags);
      if (flags.includes("--more")) await eventually(() => stdout().includes('"i"'), "a reply is printed");
      child.kill(signal);
      await eventually(() => child.exitCode !== null, "the command exits", 3000);
      assert.equal(child.exitCode, code);
      assert.equal(stderr(), "");
      await eventually(() => state.running === 0, "the service's handler is told the client left");
    });
  }

  test("a reader that goes away (| head -1) ends the command quietly with 141", async (t) => {
    const { child, stdout, stderr } = await streaming(t, ["--more"]);
    await eventually(() => stdout().includes('"i"'), "a reply is printed");
    child.stdout.destroy();
    await eventually(() => child.exitCode !== null, "the command exits", 3000);
    assert.equal(child.exitCode, 141);
    assert.equal(stderr(), "");
  });
});
