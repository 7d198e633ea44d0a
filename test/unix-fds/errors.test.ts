import assert from "node:assert/strict";
import { mkdtempSync, symlinkSync } from "node:fs";
import net from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, test } from "node:test";
import { dup, unixFds } from "@varlink-ts/unix-fds";
import { eventually, socketAddress } from "../helpers/runtime.js";

// The add-on's errors as Node's own: the code is the errno's name that a net.Socket gives for
// the same condition, and it is the errno of the call that failed, never one left from before.

/** A path whose lookup loops (a → b → a): connecting to it fails with ELOOP. */
function loopingPath(): string {
  const folder = mkdtempSync(path.join(tmpdir(), "varlink-ts-loop-"));
  symlinkSync(path.join(folder, "b"), path.join(folder, "a"));
  symlinkSync(path.join(folder, "a"), path.join(folder, "b"));
  return path.join(folder, "a");
}

function thrown(f: () => unknown): NodeJS.ErrnoException {
  try {
    f();
  } catch (error) {
    return error as NodeJS.ErrnoException;
  }
  assert.fail("it did not throw");
}

describe("the add-on's errors", () => {
  test("a connect that fails says so as net.connect does: code, errno and syscall (ELOOP)", async () => {
    const target = loopingPath();
    const ours = thrown(() => unixFds.connect(target));
    const nodes = await new Promise<NodeJS.ErrnoException>((resolve) => net.connect(target).on("error", resolve));
    assert.deepEqual(
      { code: ours.code, errno: ours.errno, syscall: ours.syscall },
      { code: nodes.code, errno: nodes.errno, syscall: nodes.syscall },
    );
    assert.equal(ours.code, "ELOOP");
  });

  test("writing to a socket that is not connected fails with ENOTCONN", async (t) => {
    const listener = unixFds.listen(socketAddress("listening.sock").path);
    t.after(() => listener.close());
    // A listening socket passed off as a connection: it has no peer to write to.
    const socket = unixFds.adoptConnection(dup(listener.fd));
    let failure: NodeJS.ErrnoException | undefined;
    socket.on("error", (error) => (failure = error));
    socket.write("{}\0");
    await eventually(() => failure !== undefined, "the write fails");
    assert.equal(failure!.code, "ENOTCONN");
  });

  test("a path that is not a string is refused as such, whatever failed before it", () => {
    assert.equal(
      thrown(() => unixFds.connect(path.join(tmpdir(), "varlink-ts-no-such-folder", "x.sock"))).code,
      "ENOENT",
    );
    const error = thrown(() => unixFds.connect(42 as unknown as string));
    assert.equal(error.code, "ERR_INVALID_ARG_TYPE");
    assert.ok(error instanceof TypeError, String(error));
  });
});
