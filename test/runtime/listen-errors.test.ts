import assert from "node:assert/strict";
import { test } from "node:test";
import { VarlinkServer } from "@varlink-ts/runtime";

// Listening where one cannot fails once, saying where and why, and logs nothing besides.

test("listening in a folder that does not exist names the folder, once, without a stack in the log", async () => {
  const logged: string[] = [];
  const server = new VarlinkServer({ logger: (message) => logged.push(message) });
  await assert.rejects(server.listen("unix:/nonexistent-varlink-ts/dir/x.sock"), {
    message:
      "cannot listen on unix:/nonexistent-varlink-ts/dir/x.sock: the folder /nonexistent-varlink-ts/dir does not exist",
  });
  assert.deepEqual(logged, []);
  await server.close();
});
