import assert from "node:assert/strict";
import { test } from "node:test";
import type { ServiceInterface } from "@varlink-ts/runtime";
import { cliProcess } from "../helpers/cli.js";
import { startServer } from "../helpers/runtime.js";

// `call --more --timeout`: the limit is on the whole call. When it ends a stream that has been
// answering, the message says so and counts the replies, rather than "no reply".

/** Five replies at once, then nothing until the call is given up. */
const stalling: ServiceInterface = {
  name: "org.example.stall",
  description: "interface org.example.stall\n\nmethod FiveThenWait() -> (i: int)\n",
  methods: {
    FiveThenWait: async function* (_parameters: object, context) {
      for (let i = 0; i < 5; i++) yield { i };
      await new Promise((resolve) => context.signal.addEventListener("abort", resolve, { once: true }));
    },
  },
};

test("a --more call ended by --timeout says the limit is on the whole call, with the count of replies", async (t) => {
  const service = await startServer([stalling]);
  t.after(() => service.server.close({ timeout: 0 }));
  const run = await cliProcess([
    "call",
    "--more",
    "--timeout",
    "0.5",
    service.address,
    "org.example.stall.FiveThenWait",
  ]);
  assert.equal(run.code, 1);
  assert.equal(run.stdout.split("\u001e").length - 1, 5, run.stdout);
  assert.match(
    run.stderr,
    /^varlink-ts: the call did not finish within --timeout 0\.5 s \(a limit on the whole call, not on each reply\); 5 replies arrived$/m,
  );
  assert.doesNotMatch(run.stderr, /no reply within/);
});
