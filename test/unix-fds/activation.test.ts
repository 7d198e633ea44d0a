import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { closeSync } from "node:fs";
import path from "node:path";
import { test } from "node:test";
import { SocketConnection } from "@varlink-ts/runtime";
import { unixFds } from "@varlink-ts/unix-fds";
import { fileWith } from "../helpers/fds.js";
import { repoRoot } from "../helpers/paths.js";
import { eventually, socketAddress } from "../helpers/runtime.js";

// Socket activation with fd passing: a listening unix socket handed over as fd 3 (LISTEN_FDS,
// LISTEN_PID, as systemd passes it; made here by Python, which then becomes the service with
// execve, keeping its pid) is served through the add-on, so its calls can carry fds.

test("a socket-activated service passes fds through the add-on", async (t) => {
  const { address, path: socketPath } = socketAddress("activated.sock");
  const script = path.join(repoRoot, "dist", "test", "unix-fds", "activated-server.js");
  const activate = `import os, socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
s.bind(sys.argv[1]); s.listen(16)
os.dup2(s.fileno(), 3); os.set_inheritable(3, True)
env = dict(os.environ, LISTEN_FDS="1", LISTEN_PID=str(os.getpid()))
os.execve(sys.argv[2], [sys.argv[2], sys.argv[3]], env)`;
  const child = spawn("python3", ["-c", activate, socketPath, process.execPath, script], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  t.after(() => child.kill());
  let output = "";
  child.stdout.setEncoding("utf8").on("data", (text: string) => (output += text));
  await eventually(() => output.includes("activated") || output.includes("nothing"), "the service starts");
  assert.match(output, /^activated$/m);
  const client = await SocketConnection.connect(address, { fdPassing: unixFds });
  t.after(() => client.close());
  const file = fileWith("handed to an activated service");
  t.after(() => closeSync(file));
  assert.deepEqual(await client.call("org.example.fds.Read", { fd: 0 }, { fds: [file] }), {
    text: "handed to an activated service",
  });
});
