import assert from "node:assert/strict";
import { test, type TestContext } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import {
  CallTimedOut,
  logServerCalls,
  SocketConnection,
  VarlinkError,
  type ServerOptions,
  type ServiceInterface,
} from "@varlink-ts/runtime";
import { eventually, startServer } from "../helpers/runtime.js";

// A call ended because its client left or its time ran out is no failure: a handler that honours
// its signal (the scaffold's Countdown does, with timers/promises) and so throws an AbortError is
// not logged as failed, with a stack trace; a timeout is one line.

const description = `interface org.example.stopped
method Countdown(from: int) -> (remaining: int)
method Wait(ms: int) -> ()
`;

function stoppingService(state: { started: number; finished: number }): ServiceInterface {
  return {
    name: "org.example.stopped",
    description,
    methods: {
      // As the scaffold's: the signal is honoured by the timer, which throws an AbortError.
      Countdown: async function* (p: { from: number }, { signal }) {
        try {
          for (let remaining = p.from; remaining > 1; remaining--) {
            yield { remaining };
            await sleep(20, undefined, { signal });
          }
          return { remaining: 1 };
        } finally {
          state.finished++;
        }
      },
      Wait: async (p: { ms: number }, { signal }) => {
        state.started++;
        try {
          await sleep(p.ms, undefined, { signal });
          return {};
        } finally {
          state.finished++;
        }
      },
    },
  };
}

async function setup(t: TestContext, options: ServerOptions = {}) {
  const state = { started: 0, finished: 0 };
  const running = await startServer([stoppingService(state)], options);
  t.after(() => running.server.close({ timeout: 0 }));
  const client = await SocketConnection.connect(running.address);
  t.after(() => client.close());
  return { ...running, state, client };
}

/** Reads the first reply of a long countdown, then leaves (which closes the connection). */
async function leaveEarly(client: SocketConnection): Promise<void> {
  for await (const reply of client.more("org.example.stopped.Countdown", { from: 1000 })) {
    assert.deepEqual(reply, { remaining: 1000 });
    break;
  }
}

test("a stream its client leaves early logs nothing, though its handler throws an AbortError", async (t) => {
  const { client, state, logged } = await setup(t);
  await leaveEarly(client);
  await eventually(() => state.finished === 1, "the handler saw its signal and stopped");
  await new Promise((resolve) => setImmediate(resolve));
  assert.deepEqual(logged, []);
});

test("a call its client leaves logs nothing, though its handler throws an AbortError", async (t) => {
  const { client, state, logged } = await setup(t);
  const call = client.call("org.example.stopped.Wait", { ms: 60_000 });
  call.catch(() => {});
  await eventually(() => state.started === 1, "the handler runs");
  await client.close();
  await eventually(() => state.finished === 1, "the handler saw its signal and stopped");
  await new Promise((resolve) => setImmediate(resolve));
  assert.deepEqual(logged, []);
});

test("callTimeout logs one line saying the call ran too long, and no failure", async (t) => {
  const { client, state, logged } = await setup(t, { callTimeout: 100 });
  await assert.rejects(
    client.call("org.example.stopped.Wait", { ms: 60_000 }),
    (error: unknown) => error instanceof CallTimedOut,
  );
  await eventually(() => state.finished === 1, "the handler saw its signal and stopped");
  await new Promise((resolve) => setImmediate(resolve));
  assert.deepEqual(logged, [
    "method org.example.stopped.Wait ran longer than 100 ms: answered org.varlinkts.CallTimedOut",
  ]);
});

test("logServerCalls says a stream its client left was stopped, and why", async (t) => {
  const lines: string[] = [];
  const { client, state, logged } = await setup(t, { interceptors: [logServerCalls((line) => lines.push(line))] });
  await leaveEarly(client);
  await eventually(() => state.finished === 1 && lines.length === 1, "the handler stopped and its line is written");
  assert.match(lines[0]!, /^org\.example\.stopped\.Countdown \d+\.\d ms stopped: the client disconnected, 1 reply$/);
  assert.deepEqual(logged, []);
});

test("logServerCalls says a call that ran past callTimeout was stopped, and why", async (t) => {
  const lines: string[] = [];
  const { client, state } = await setup(t, {
    callTimeout: 100,
    interceptors: [logServerCalls((line) => lines.push(line))],
  });
  await assert.rejects(client.call("org.example.stopped.Wait", { ms: 60_000 }), VarlinkError);
  await eventually(() => state.finished === 1 && lines.length === 1, "the handler stopped and its line is written");
  assert.match(lines[0]!, /^org\.example\.stopped\.Wait \d+\.\d ms stopped: the call ran longer than 100 ms$/);
});
