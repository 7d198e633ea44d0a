import assert from "node:assert/strict";
import { spawn, type ChildProcess } from "node:child_process";
import net from "node:net";
import { describe, test, type TestContext } from "node:test";
import { binPath, cliProcess } from "../helpers/cli.js";
import { childrenOf, isRunning, openFds } from "../helpers/processes.js";
import { eventually, socketAddress } from "../helpers/runtime.js";

// What a hostile or careless client can do to `serve` and `call --upgrade` (issue #34): many
// connections, running serve out of fds, leaving mid-stream, never reading, garbage before and
// after the upgrade, signals. What must hold: serve does not crash, the runs it starts are
// bounded, it exits cleanly on SIGINT and SIGTERM, and it leaks no process and no fd.

const method = "org.example.pipe.Open";
const upgradeCall = `{"method":"${method}","upgrade":true}\0`;

interface Served {
  child: ChildProcess;
  path: string;
  stderr: () => string;
  exited: Promise<number | null>;
}

/** `varlink-ts serve` on a fresh socket, run through `via` (e.g. prlimit), once it listens. */
async function serve(
  t: TestContext,
  commandLine: string[],
  options: { via?: string[]; flags?: string[] } = {},
): Promise<Served> {
  const { address, path } = socketAddress("hostile.sock");
  const [command, ...prefix] = [...(options.via ?? []), process.execPath];
  const child = spawn(
    command!,
    [...prefix, binPath, "serve", "--listen", address, ...(options.flags ?? []), method, ...commandLine],
    { stdio: ["ignore", "ignore", "pipe"] },
  );
  t.after(() => {
    for (const pid of childrenOf(child.pid!)) kill(pid);
    child.kill("SIGKILL");
  });
  let stderr = "";
  child.stderr!.setEncoding("utf8").on("data", (text: string) => (stderr += text));
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  await eventually(() => stderr.includes(" runs "), "serve listens", 10_000);
  return { child, path, stderr: () => stderr, exited };
}

/** A client speaking raw bytes: what it received, as text, and whether the server closed it. */
class Client {
  received = Buffer.alloc(0);
  closed = false;
  constructor(readonly socket: net.Socket) {
    socket.on("data", (chunk: Buffer) => (this.received = Buffer.concat([this.received, chunk])));
    socket.on("close", () => (this.closed = true));
    socket.on("error", () => (this.closed = true));
  }

  static open(t: TestContext, path: string): Promise<Client> {
    return new Promise((resolve, reject) => {
      const socket = net.createConnection({ path }, () => resolve(new Client(socket)));
      socket.once("error", reject);
      t.after(() => socket.destroy());
    });
  }

  /** The first reply (up to its NUL), as JSON; undefined until it has come. */
  get reply(): { parameters?: object; error?: string } | undefined {
    const end = this.received.indexOf(0);
    return end < 0 ? undefined : JSON.parse(this.received.subarray(0, end).toString("utf8"));
  }

  /** What came after the reply: the command's output. */
  get output(): string {
    const end = this.received.indexOf(0);
    return end < 0 ? "" : this.received.subarray(end + 1).toString("utf8");
  }
}

function kill(pid: number): void {
  try {
    process.kill(pid, "SIGKILL");
  } catch {
    // gone already
  }
}

/** The served process's fd count once it is idle (no connection, no run). */
async function idleFds(served: Served): Promise<number> {
  await eventually(() => childrenOf(served.child.pid!).length === 0, "no run is left");
  return openFds(served.child.pid!);
}

describe("serve against hostile clients", () => {
  test("60 upgrade calls at once under a limit of 64 fds: no crash, no fd kept, serve still serves", async (t) => {
    const served = await serve(t, ["cat"], { via: ["prlimit", "--nofile=64"] });
    const before = await idleFds(served);
    const clients = await Promise.all(
      Array.from({ length: 60 }, async () => {
        try {
          const client = await Client.open(t, served.path);
          client.socket.write(upgradeCall);
          return client;
        } catch {
          return undefined; // refused: the listening socket's backlog, or serve had no fd to accept it
        }
      }),
    );
    // Every connection serve took gets the upgrade or an error reply (CannotRun, short of fds);
    // one it had no fd to accept is closed or left waiting.
    await eventually(
      () => clients.every((client) => client === undefined || client.reply !== undefined || client.closed),
      "every call is answered",
      20_000,
    );
    assert.equal(served.child.exitCode, null, served.stderr());
    const upgraded = clients.filter((client) => client?.reply !== undefined && client.reply.error === undefined).length;
    const refused = clients.filter((client) => client?.reply?.error !== undefined);
    t.diagnostic(
      `upgraded ${upgraded}, refused with an error ${refused.length}, closed or not taken ${clients.filter((c) => c?.reply === undefined).length}`,
    );
    assert.ok(upgraded > 0, "some calls are upgraded");
    assert.ok(refused.length > 0, "the calls beyond what the fds allow are refused");
    for (const client of refused) assert.equal(client!.reply!.error, "org.example.pipe.CannotRun");
    assert.doesNotMatch(served.stderr(), /Unhandled|TypeError/);

    for (const client of clients) client?.socket.destroy();
    await eventually(() => childrenOf(served.child.pid!).length === 0, "every run ends once its caller left");
    await eventually(() => openFds(served.child.pid!) === before, `serve's fds return to ${before}`);
    const after = await cliProcess(["call", "--upgrade", `unix:${served.path}`, method], { stdin: "still here\n" });
    assert.equal(after.code, 0, after.stderr);
    assert.equal(after.stdout, "still here\n");
  });

  test("runs beyond --max-runs are refused with TooManyRuns, naming the limit", async (t) => {
    const served = await serve(t, ["cat"], { flags: ["--max-runs", "2"] });
    const running = await Promise.all([Client.open(t, served.path), Client.open(t, served.path)]);
    for (const client of running) client.socket.write(upgradeCall);
    await eventually(() => running.every((client) => client.reply !== undefined), "both are upgraded");
    const refused = await cliProcess(["call", "--upgrade", `unix:${served.path}`, method], { stdin: "" });
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /org\.example\.pipe\.TooManyRuns\n\{\n {2}"limit": 2\n\}/);
    assert.equal(childrenOf(served.child.pid!).length, 2);
  });

  test("a caller that leaves mid-stream ends its run: `yes` dies of SIGPIPE, no process or fd is left", async (t) => {
    const served = await serve(t, ["yes"]);
    const before = await idleFds(served);
    const client = await Client.open(t, served.path);
    client.socket.write(upgradeCall);
    await eventually(() => client.output.length > 100_000, "yes streams");
    assert.equal(childrenOf(served.child.pid!).length, 1);
    client.socket.destroy();
    await eventually(() => childrenOf(served.child.pid!).length === 0, "yes has ended");
    await eventually(() => openFds(served.child.pid!) === before, `serve's fds return to ${before}`);
  });

  test("a caller that never reads holds only its own run: others are served meanwhile", async (t) => {
    const served = await serve(t, ["yes"]);
    const stalled = await Client.open(t, served.path);
    stalled.socket.write(upgradeCall);
    await eventually(() => stalled.reply !== undefined, "the call is upgraded");
    stalled.socket.pause();
    const info = await cliProcess(["call", `unix:${served.path}`, "org.varlink.service.GetInfo"]);
    assert.equal(info.code, 0, info.stderr);
    const other = await Client.open(t, served.path);
    other.socket.write(upgradeCall);
    await eventually(() => other.output.startsWith("y\ny\n"), "another caller gets its own run");
    assert.equal(childrenOf(served.child.pid!).length, 2);
  });

  test("garbage before the upgrade closes that connection only; no run is started", async (t) => {
    const served = await serve(t, ["cat"]);
    const before = await idleFds(served);
    const client = await Client.open(t, served.path);
    client.socket.write("\u0001\u0002 not json at all\0");
    await eventually(() => client.closed, "serve closes the connection");
    assert.equal(childrenOf(served.child.pid!).length, 0);
    assert.equal(served.child.exitCode, null);
    await eventually(() => openFds(served.child.pid!) === before, `serve's fds return to ${before}`);
  });

  /** Garbage with NULs in it, and a varlink call, after the upgrade: bytes for the command like any other. */
  const afterUpgrade = Buffer.concat([Buffer.from([0, 255, 0, 123, 10]), Buffer.from('{"method":"not a call"}\0')]);

  test("bytes after the upgrade reply, NULs and varlink calls included, are the command's input as they are", async (t) => {
    const served = await serve(t, ["wc", "-c"]);
    const client = await Client.open(t, served.path);
    client.socket.write(upgradeCall);
    await eventually(() => client.reply !== undefined, "the call is upgraded");
    client.socket.end(afterUpgrade);
    await eventually(() => client.closed, "the command ends and serve closes the connection");
    assert.deepEqual(client.reply, { parameters: {} });
    assert.equal(client.output.trim(), String(afterUpgrade.length));
  });

  test("bytes sent in the same write as the upgrade call are the command's too", async (t) => {
    const served = await serve(t, ["wc", "-c"]);
    const client = await Client.open(t, served.path);
    client.socket.end(Buffer.concat([Buffer.from(upgradeCall), afterUpgrade]));
    await eventually(() => client.closed, "the command ends and serve closes the connection");
    assert.equal(client.output.trim(), String(afterUpgrade.length));
  });

  test("many idle connections are held without a run, and let go without a leak", async (t) => {
    const served = await serve(t, ["cat"]);
    const before = await idleFds(served);
    const clients = await Promise.all(Array.from({ length: 100 }, () => Client.open(t, served.path)));
    await eventually(() => openFds(served.child.pid!) >= before + 100, "serve holds the connections");
    assert.equal(childrenOf(served.child.pid!).length, 0);
    for (const client of clients) client.socket.destroy();
    await eventually(() => openFds(served.child.pid!) === before, `serve's fds return to ${before}`);
  });

  for (const [signal, code] of [
    ["SIGTERM", 0],
    ["SIGINT", 0],
  ] as const) {
    test(`${signal} with runs in flight: serve ends them and exits ${code}, leaving no process`, async (t) => {
      const served = await serve(t, ["cat"]);
      const clients = await Promise.all([Client.open(t, served.path), Client.open(t, served.path)]);
      for (const client of clients) client.socket.write(upgradeCall);
      await eventually(() => childrenOf(served.child.pid!).length === 2, "two runs");
      const runs = childrenOf(served.child.pid!);
      served.child.kill(signal);
      assert.equal(await served.exited, code);
      await eventually(() => runs.every((pid) => !isRunning(pid)), "the runs have ended");
    });
  }

  test("a command that ignores SIGTERM is killed after the grace period; serve exits 0", {
    timeout: 20_000,
  }, async (t) => {
    const stubborn = [
      process.execPath,
      "-e",
      'process.on("SIGTERM", () => {}); process.stdout.write(`${process.pid}\\n`); setInterval(() => {}, 1000)',
    ];
    const served = await serve(t, stubborn);
    const client = await Client.open(t, served.path);
    client.socket.write(upgradeCall);
    await eventually(() => /^\d+\n$/.test(client.output), "the command says its pid", 10_000);
    const pid = Number(client.output.trim());
    const started = Date.now();
    served.child.kill("SIGTERM");
    assert.equal(await served.exited, 0);
    t.diagnostic(`serve exited ${Date.now() - started} ms after SIGTERM`);
    assert.ok(Date.now() - started < 8000, "within the 5 s grace period and a margin");
    await eventually(() => !isRunning(pid), "the command was killed");
  });
});

describe("call --upgrade against serve", () => {
  test("a reader that goes away: the call exits 141, serve's run ends, no process is left", async (t) => {
    const served = await serve(t, ["cat"]);
    const call = spawn(process.execPath, [binPath, "call", "--upgrade", `unix:${served.path}`, method], {
      stdio: ["pipe", "pipe", "pipe"],
    });
    t.after(() => call.kill("SIGKILL"));
    let stderr = "";
    call.stderr.setEncoding("utf8").on("data", (text: string) => (stderr += text));
    await eventually(() => stderr.includes("{}"), "the call is upgraded");
    call.stdout.destroy();
    // cat sends this back, and the write to the closed standard output fails.
    call.stdin.write("echo\n");
    await eventually(() => call.exitCode !== null, "the call exits", 5000);
    assert.equal(call.exitCode, 141);
    await eventually(() => childrenOf(served.child.pid!).length === 0, "serve's run ends");
  });
});
