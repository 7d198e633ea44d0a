import assert from "node:assert/strict";
import { spawn, type ChildProcess } from "node:child_process";
import { describe, test, type TestContext } from "node:test";
import { binPath, cliProcess } from "../helpers/cli.js";
import { isRunning } from "../helpers/processes.js";
import { eventually, RawConnection, socketAddress } from "../helpers/runtime.js";

// varlink-ts serve METHOD CMDLINE…, as varlinkctl has it: a service whose one method requires
// 'upgrade'; each call's connection becomes the standard input and output of a new run of the
// command. `call --upgrade` is its client.

interface Served {
  child: ChildProcess;
  stderr: () => string;
  exited: Promise<number | null>;
}

function start(t: TestContext, command: string, args: string[], env: NodeJS.ProcessEnv = process.env): Served {
  const child = spawn(command, args, { env, stdio: ["ignore", "ignore", "pipe"] });
  t.after(() => child.kill("SIGKILL"));
  let stderr = "";
  child.stderr!.setEncoding("utf8").on("data", (text: string) => (stderr += text));
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  return { child, stderr: () => stderr, exited };
}

async function serve(
  t: TestContext,
  commandLine: string[],
): Promise<{ served: Served; address: string; path: string }> {
  const { address, path } = socketAddress("serve.sock");
  const served = start(t, process.execPath, [
    binPath,
    "serve",
    "--listen",
    address,
    "org.example.pipe.Open",
    ...commandLine,
  ]);
  await eventually(() => served.stderr().includes(" runs "), "serve listens");
  return { served, address, path };
}

const upperCaseOneLine = ["sh", "-c", 'read line; echo "$line $$" | tr a-z A-Z'];

describe("serve", () => {
  test("an upgraded call's connection is the command's standard input and output", async (t) => {
    const { address } = await serve(t, upperCaseOneLine);
    const run = await cliProcess(["call", "--upgrade", address, "org.example.pipe.Open"], { stdin: "quiet words\n" });
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /^QUIET WORDS \d+\n$/);
    assert.equal(run.stderr, "{}\n");
  });

  test("each call runs the command anew", async (t) => {
    const { address } = await serve(t, upperCaseOneLine);
    const [first, second] = await Promise.all(
      ["one\n", "two\n"].map((stdin) => cliProcess(["call", "--upgrade", address, "org.example.pipe.Open"], { stdin })),
    );
    assert.match(first!.stdout, /^ONE \d+\n$/);
    assert.match(second!.stdout, /^TWO \d+\n$/);
    assert.notEqual(first!.stdout.split(" ")[1], second!.stdout.split(" ")[1]);
  });

  test("the command's own options are its own, not serve's", async (t) => {
    const { address } = await serve(t, ["tr", "-d", "aeiou"]);
    const run = await cliProcess(["call", "--upgrade", address, "org.example.pipe.Open"], {
      stdin: "varlink everywhere\n",
    });
    assert.equal(run.stdout, "vrlnk vrywhr\n");
  });

  test("a call without 'upgrade' gets ExpectedUpgrade, and the method is described", async (t) => {
    const { address } = await serve(t, ["cat"]);
    const call = await cliProcess(["call", address, "org.example.pipe.Open"]);
    assert.equal(call.code, 1);
    assert.match(call.stderr, /org\.varlink\.service\.ExpectedUpgrade/);
    const described = await cliProcess(["introspect", address, "org.example.pipe"]);
    assert.match(described.stdout, /# \[Requires 'upgrade' flag\]\nmethod Open\(\) -> \(\)/);
  });

  test("a socket handed over by socket activation is served", async (t) => {
    const { address, path } = socketAddress("activated.sock");
    // Python binds the socket as fd 3, sets LISTEN_FDS and LISTEN_PID, and becomes serve (execve keeps the pid).
    const activate = `import os, socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
s.bind(sys.argv[1]); s.listen(16)
os.dup2(s.fileno(), 3); os.set_inheritable(3, True)
env = dict(os.environ, LISTEN_FDS="1", LISTEN_PID=str(os.getpid()))
os.execve(sys.argv[2], sys.argv[2:], env)`;
    const served = start(t, "python3", [
      "-c",
      activate,
      path,
      process.execPath,
      binPath,
      "serve",
      "org.example.pipe.Open",
      ...upperCaseOneLine,
    ]);
    await eventually(() => served.stderr().includes(" runs "), "serve takes the socket");
    assert.match(served.stderr(), /org\.example\.pipe\.Open on unix:fd3 runs/);
    const run = await cliProcess(["call", "--upgrade", address, "org.example.pipe.Open"], { stdin: "activated\n" });
    assert.match(run.stdout, /^ACTIVATED \d+\n$/);
  });

  test("SIGTERM ends serve and the commands it runs", async (t) => {
    // The served command says its pid, then runs until killed: `sleep` waits on nothing in the test.
    const { served, path } = await serve(t, ["sh", "-c", "echo $$; exec sleep 1000"]);
    const raw = await RawConnection.open(path);
    t.after(() => raw.socket.destroy());
    let text = "";
    raw.socket.on("data", (chunk: Buffer) => (text += chunk.toString()));
    raw.send('{"method":"org.example.pipe.Open","upgrade":true}\0');
    await eventually(() => /\0\d+\n$/.test(text), "the command says its pid");
    const pid = Number(/\0(\d+)\n$/.exec(text)![1]);
    served.child.kill("SIGTERM");
    assert.equal(await served.exited, 0);
    await eventually(() => !isRunning(pid), "the command has ended");
  });

  test("a command that is not in PATH is a usage error", async () => {
    const run = await cliProcess([
      "serve",
      "--listen",
      "unix:/nowhere/x.sock",
      "org.example.pipe.Open",
      "no-such-command-anywhere",
    ]);
    assert.equal(run.code, 2);
    assert.equal(run.stderr, "varlink-ts: serve: no command 'no-such-command-anywhere' in PATH\n");
  });

  test("without --listen and without socket activation, serve says what it needs", async () => {
    const run = await cliProcess(["serve", "org.example.pipe.Open", "cat"], { env: { LISTEN_FDS: undefined } });
    assert.equal(run.code, 2);
    assert.match(run.stderr, /serve needs a socket: pass --listen ADDRESS, or start it socket-activated/);
  });
});
