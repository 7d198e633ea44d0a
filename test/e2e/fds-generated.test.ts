import assert from "node:assert/strict";
import { closeSync, mkdtempSync, openSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { test } from "node:test";
import { createClient, fdsOf, SocketConnection, VarlinkServer, withFds } from "@varlink-ts/runtime";
import { unixFds } from "@varlink-ts/unix-fds";
import { Files, NotFound } from "../generated/org.example.files.js";
import { fileWith, noFdLeak, openFdCount, readAll } from "../helpers/fds.js";
import { socketAddress } from "../helpers/runtime.js";

// Generated code and fds: fd fields stay int (the IDL cannot mark them); the typed client passes
// fds with its call options, the typed service takes them from its context and replies with
// withFds, all type-checked under strict settings.

test("a generated client and service pass fds through their options and context", async (t) => {
  const server = new VarlinkServer({ fdPassing: unixFds, logger: () => {} });
  server.addInterface(Files, {
    Open: ({ path: file }) => {
      try {
        return withFds({ fd: 0 }, [openSync(file, "r")]);
      } catch {
        throw new NotFound({ path: file });
      }
    },
    Read: ({ fd }, context) => ({ text: readAll(context.fds.peek(fd)) }),
  });
  const { address } = socketAddress("files.sock");
  await server.listen(address);
  const connection = await SocketConnection.connect(address, { fdPassing: unixFds });
  t.after(async () => {
    await connection.close();
    await server.close({ timeout: 0 });
  });
  const files = createClient(Files, connection, { validateReplies: true });
  const note = path.join(mkdtempSync(path.join(tmpdir(), "varlink-ts-files-")), "note.txt");
  writeFileSync(note, "opened by the service");
  // Node opens an fd of its own (libuv's spare /dev/null) on first use, which a count taken before would see.
  const warm = fileWith("warm");
  await files.Read({ fd: 0 }, { fds: [warm] });
  closeSync(warm);
  const before = openFdCount();

  const opened = await files.Open({ path: note });
  const fd = fdsOf(opened)!.take(opened.fd);
  assert.equal(readAll(fd), "opened by the service");
  closeSync(fd);

  const mine = fileWith("read by the service");
  assert.deepEqual(await files.Read({ fd: 0 }, { fds: [mine] }), { text: "read by the service" });
  closeSync(mine);

  await assert.rejects(files.Open({ path: `${note}.missing` }), NotFound);
  await noFdLeak(before);
});
