import assert from "node:assert/strict";
import { after, before, describe, test, type TestContext } from "node:test";
import { SocketConnection } from "@varlink-ts/runtime";
import { binPath, cliProcess } from "../helpers/cli.js";
import { startServer, testService, type TestServer } from "../helpers/runtime.js";
import { startSshd, type Sshd } from "../helpers/sshd.js";
import { startUserdbd, userdbService, userdbSocket, type Userdbd } from "../helpers/userdbd.js";

// ssh-exec: and ssh-unix: addresses through a real OpenSSH server on 127.0.0.1, on the built
// binary and in the runtime.

describe("ssh-exec: and ssh-unix: through a real sshd", () => {
  let sshd: Sshd | undefined;
  let unavailable: string | undefined;
  let service: TestServer;
  let daemon: Userdbd;
  before(async () => {
    const started = await startSshd();
    if ("sshd" in started) sshd = started.sshd;
    else unavailable = started.unavailable;
    service = await startServer([testService()]);
    daemon = await startUserdbd();
  });
  after(async () => {
    await sshd?.stop();
    await service.server.close();
    await daemon.stop();
  });

  /** The sshd, or undefined when the test is skipped for want of one. */
  function ready(t: TestContext): Sshd | undefined {
    if (sshd === undefined) t.skip(unavailable);
    return sshd;
  }

  /** `varlink-ts bridge stdio` in front of the test service, as the command ssh runs. */
  const stdioBridge = (): string => `${process.execPath} ${binPath} bridge stdio --service test=${service.address}`;

  test("ssh-unix: reaches a unix socket on the host", async (t) => {
    const server = ready(t);
    if (!server) return;
    const run = await cliProcess(
      ["call", `ssh-unix:${server.host}:${service.path}`, "org.example.test.Echo", '{"value": "over ssh"}'],
      { env: server.env },
    );
    assert.equal(run.code, 0, run.stderr + server.log());
    assert.deepEqual(JSON.parse(run.stdout), { value: "over ssh" });
  });

  test("ssh-unix: reaches systemd-userdbd on the host", async (t) => {
    const server = ready(t);
    if (!server) return;
    if (daemon.unavailable) return t.skip(daemon.unavailable);
    const run = await cliProcess(
      [
        "call",
        `ssh-unix:${server.host}:${userdbSocket}`,
        "io.systemd.UserDatabase.GetUserRecord",
        JSON.stringify({ userName: "root", service: userdbService }),
      ],
      { env: server.env },
    );
    assert.equal(run.code, 0, run.stderr);
    assert.equal((JSON.parse(run.stdout) as { record: { uid: number } }).record.uid, 0);
  });

  test("ssh-exec: speaks varlink with a command on the host (varlink-ts bridge stdio)", async (t) => {
    const server = ready(t);
    if (!server) return;
    const run = await cliProcess(
      ["call", `ssh-exec:${server.host}:${stdioBridge()}`, "org.example.test.Echo", '{"value": [1, 2]}'],
      { env: server.env },
    );
    assert.equal(run.code, 0, run.stderr);
    assert.deepEqual(JSON.parse(run.stdout), { value: [1, 2] });
  });

  test("ssh-exec: streams more replies", async (t) => {
    const server = ready(t);
    if (!server) return;
    const run = await cliProcess(
      [
        "call",
        "--collect",
        "--json",
        "short",
        `ssh-exec:${server.host}:${stdioBridge()}`,
        "org.example.test.Count",
        '{"n": 3}',
      ],
      { env: server.env },
    );
    assert.equal(run.code, 0, run.stderr);
    assert.equal(run.stdout, '[{"i":0},{"i":1},{"i":2}]\n');
  });

  test("ssh-unix: to a socket that is not there says so and exits 1", async (t) => {
    const server = ready(t);
    if (!server) return;
    const run = await cliProcess(["info", `ssh-unix:${server.host}:/run/no-such-varlink.sock`], { env: server.env });
    assert.equal(run.code, 1);
    assert.match(run.stderr, /ssh could not open \/run\/no-such-varlink\.sock on varlink-ts-test \(.*failed/);
  });

  test("ssh-exec: with a command the host does not have names ssh's exit and the shell's reason", async (t) => {
    const server = ready(t);
    if (!server) return;
    const run = await cliProcess(["info", `ssh-exec:${server.host}:no-such-varlink-program`], { env: server.env });
    assert.equal(run.code, 1);
    assert.match(run.stderr, /exited with code 127/);
    assert.match(run.stderr, /no-such-varlink-program/);
  });

  test("a host ssh cannot log in to gives ssh's reason", async (t) => {
    const server = ready(t);
    if (!server) return;
    const run = await cliProcess(["info", "ssh-unix:nobody@varlink-ts-test:/run/x.sock"], { env: server.env });
    assert.equal(run.code, 1);
    assert.match(run.stderr, /Permission denied/);
  });

  test("the runtime's SocketConnection connects to ssh-unix: addresses", async (t) => {
    const server = ready(t);
    if (!server) return;
    process.env["SYSTEMD_SSH"] = server.env["SYSTEMD_SSH"];
    t.after(() => delete process.env["SYSTEMD_SSH"]);
    const client = await SocketConnection.connect(`ssh-unix:${server.host}:${service.path}`);
    t.after(() => client.close());
    assert.deepEqual(await client.call("org.example.test.Echo", { value: 64 }), { value: 64 });
  });
});
