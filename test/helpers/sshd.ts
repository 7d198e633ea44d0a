import { execFileSync, spawn } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import net from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { eventually } from "./runtime.js";

// A real OpenSSH server on 127.0.0.1, started for one test file: its host key and the client's
// key are made here, root logs in with the key only, and the client side is an ssh config file
// that a wrapper named by $SYSTEMD_SSH passes to ssh (as systemd tools honour $SYSTEMD_SSH).

const sshdProgram = "/usr/sbin/sshd";

export interface Sshd {
  /** The ssh host name the client config defines. */
  host: string;
  /** Environment for clients: SYSTEMD_SSH names the wrapper that uses the test's config. */
  env: Record<string, string>;
  /** What sshd logged, for failure messages. */
  log(): string;
  stop(): Promise<void>;
}

export type SshdStart = { sshd: Sshd } | { unavailable: string };

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.createConnection({ host: "127.0.0.1", port }, () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });
}

/** Starts sshd, or says why it cannot run here (on CI, where .ci/run installs it, that throws). */
export async function startSshd(): Promise<SshdStart> {
  let unavailable: string | undefined;
  if (!existsSync(sshdProgram)) unavailable = `${sshdProgram} is not installed (apt-get install openssh-server)`;
  else if (process.getuid?.() !== 0) unavailable = "sshd must run as root";
  if (unavailable !== undefined) {
    if (process.env["CI"]) throw new Error(unavailable);
    return { unavailable };
  }
  const folder = mkdtempSync(path.join(tmpdir(), "varlink-ts-sshd-"));
  const file = (name: string): string => path.join(folder, name);
  execFileSync("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-C", "varlink-ts test host", "-f", file("host_key")]);
  execFileSync("ssh-keygen", [
    "-q",
    "-t",
    "ed25519",
    "-N",
    "",
    "-C",
    "varlink-ts test client",
    "-f",
    file("client_key"),
  ]);
  writeFileSync(file("authorized_keys"), readFileSync(file("client_key.pub")));
  const port = await freePort();
  writeFileSync(
    file("sshd_config"),
    [
      `Port ${port}`,
      "ListenAddress 127.0.0.1",
      `HostKey ${file("host_key")}`,
      `PidFile ${file("sshd.pid")}`,
      `AuthorizedKeysFile ${file("authorized_keys")}`,
      "PermitRootLogin prohibit-password",
      "PasswordAuthentication no",
      "KbdInteractiveAuthentication no",
      "UsePAM no",
      // The keys live in a temporary folder that sshd's ownership checks would refuse.
      "StrictModes no",
      "AllowStreamLocalForwarding yes",
      "X11Forwarding no",
      "",
    ].join("\n"),
  );
  const hostKey = readFileSync(file("host_key.pub"), "utf8").split(" ").slice(0, 2).join(" ");
  writeFileSync(file("known_hosts"), `[127.0.0.1]:${port} ${hostKey}\n`);
  const host = "varlink-ts-test";
  writeFileSync(
    file("ssh_config"),
    [
      `Host ${host}`,
      "  HostName 127.0.0.1",
      `  Port ${port}`,
      "  User root",
      `  IdentityFile ${file("client_key")}`,
      "  IdentitiesOnly yes",
      `  UserKnownHostsFile ${file("known_hosts")}`,
      "  StrictHostKeyChecking yes",
      "  BatchMode yes",
      "",
    ].join("\n"),
  );
  writeFileSync(file("ssh"), `#!/bin/sh\nexec ssh -F ${file("ssh_config")} "$@"\n`);
  chmodSync(file("ssh"), 0o755);
  // sshd's privilege separation needs this folder, which the package's service unit makes.
  mkdirSync("/run/sshd", { recursive: true, mode: 0o755 });
  const child = spawn(sshdProgram, ["-D", "-e", "-f", file("sshd_config")], { stdio: ["ignore", "ignore", "pipe"] });
  let log = "";
  child.stderr.setEncoding("utf8").on("data", (text: string) => (log += text));
  const stop = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill("SIGTERM");
      await eventually(() => child.exitCode !== null || child.signalCode !== null, "sshd exits");
    }
    rmSync(folder, { recursive: true, force: true });
  };
  const deadline = Date.now() + 10_000;
  while (!(await accepts(port))) {
    if (child.exitCode !== null || Date.now() > deadline) {
      await stop();
      throw new Error(`sshd did not start: ${log}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return { sshd: { host, env: { SYSTEMD_SSH: file("ssh") }, log: () => log, stop } };
}
