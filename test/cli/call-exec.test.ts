import assert from "node:assert/strict";
import { existsSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, test, type TestContext } from "node:test";
import { VarlinkServer } from "@varlink-ts/runtime";
import { unixFds } from "@varlink-ts/unix-fds";
import { cliProcess } from "../helpers/cli.js";
import { fdsService } from "../helpers/fds.js";
import { socketAddress } from "../helpers/runtime.js";

// varlink-ts call --exec … -- CMDLINE, as varlinkctl has it: the command gets the reply on its
// standard input and the reply's fds as fds 3, 4, … announced by $LISTEN_FDS and $LISTEN_PID.

async function serve(t: TestContext): Promise<string> {
  const server = new VarlinkServer({ fdPassing: unixFds, logger: () => {} });
  server.addInterface(fdsService());
  const { address } = socketAddress("exec.sock");
  await server.listen(address);
  t.after(() => server.close({ timeout: 0 }));
  return address;
}

describe("call --exec", () => {
  test("the command reads the reply on standard input and the reply's fd as fd 3 (read from its start)", async (t) => {
    const address = await serve(t);
    const script =
      'tr -d " \\n"; echo; echo "LISTEN_FDS=$LISTEN_FDS"; [ "$LISTEN_PID" = "$$" ] && echo "LISTEN_PID is the command"; cat /proc/self/fd/3';
    const run = await cliProcess([
      "call",
      "--exec",
      address,
      "org.example.fds.Open",
      '{"text": "handed over"}',
      "--",
      "sh",
      "-c",
      script,
    ]);
    assert.equal(run.code, 0, run.stderr);
    assert.equal(run.stdout, '{"fd":0}\nLISTEN_FDS=1\nLISTEN_PID is the command\nhanded over');
  });

  test("the command's exit code is the call's, and a reply without fds leaves no $LISTEN_FDS", async (t) => {
    const address = await serve(t);
    const run = await cliProcess(
      ["call", "--exec", address, "org.varlink.service.GetInfo", "--", "sh", "-c", 'echo "[$LISTEN_FDS]"; exit 7'],
      { env: { LISTEN_FDS: "4" } },
    );
    assert.equal(run.code, 7, run.stderr);
    assert.equal(run.stdout, "[]\n");
  });

  test("an error reply fails the call and runs nothing", async (t) => {
    const address = await serve(t);
    const marker = path.join(mkdtempSync(path.join(tmpdir(), "varlink-ts-exec-")), "ran");
    const run = await cliProcess(["call", "--exec", address, "org.example.fds.Fail", "--", "touch", marker]);
    assert.equal(run.code, 1);
    assert.match(run.stderr, /org\.example\.fds\.Fail failed/);
    assert.equal(existsSync(marker), false);
  });

  test("a command that is not in PATH is a usage error, before anything is called", async () => {
    const run = await cliProcess([
      "call",
      "--exec",
      "unix:/nowhere",
      "org.example.fds.Open",
      "--",
      "no-such-command-anywhere",
    ]);
    assert.equal(run.code, 2);
    assert.equal(run.stderr, "varlink-ts: --exec: no command 'no-such-command-anywhere' in PATH\n");
  });

  test("--exec without a command after '--' is a usage error", async () => {
    const run = await cliProcess(["call", "--exec", "unix:/nowhere", "org.example.fds.Open"]);
    assert.equal(run.code, 2);
    assert.match(run.stderr, /--exec needs the command after '--'/);
  });

  test("--exec with --more is a usage error", async () => {
    const run = await cliProcess(["call", "--exec", "--more", "unix:/nowhere", "org.example.fds.Stream", "--", "cat"]);
    assert.equal(run.code, 2);
    assert.match(run.stderr, /--exec runs a command with the one reply/);
  });
});
