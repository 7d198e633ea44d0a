import assert from "node:assert/strict";
import { existsSync, rmSync, writeFileSync } from "node:fs";
import { test } from "node:test";
import { VarlinkServer } from "@varlink-ts/runtime";
import { unixFds } from "@varlink-ts/unix-fds";
import { noFdLeak, openFdCount } from "../helpers/fds.js";
import { socketAddress } from "../helpers/runtime.js";

// The socket file a server made goes when it closes, whether Node's sockets or the fd-passing
// add-on's listen on it; a file that took its place meanwhile is not the server's to remove.

for (const [name, options] of [
  ["without fdPassing", {}],
  ["with fdPassing", { fdPassing: unixFds }],
] as const) {
  test(`close() removes the socket file the server made, ${name}`, async () => {
    const before = openFdCount();
    const server = new VarlinkServer({ ...options, logger: () => {} });
    const { address, path } = socketAddress();
    await server.listen(address);
    assert.ok(existsSync(path));
    await server.close();
    assert.equal(existsSync(path), false);
    await noFdLeak(before);
  });
}

test("close() with fdPassing leaves alone a file that took the socket's place", async (t) => {
  const server = new VarlinkServer({ fdPassing: unixFds, logger: () => {} });
  const { address, path } = socketAddress();
  await server.listen(address);
  t.after(() => rmSync(path, { force: true }));
  rmSync(path);
  writeFileSync(path, "not the server's");
  await server.close();
  assert.equal(existsSync(path), true);
});
