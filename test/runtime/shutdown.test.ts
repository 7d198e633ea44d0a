import assert from "node:assert/strict";
import { test, type TestContext } from "node:test";
import { SocketConnection, VarlinkError, type ServiceInterface } from "@varlink-ts/runtime";
import { eventually, startServer, type TestServer } from "../helpers/runtime.js";

// server.close(): every running handler is told to stop at once (its context.signal fires), a
// running stream ends with org.varlinkts.ShuttingDown, a handler that fails once told to stop
// answers the same, and the calls already received are still answered.

interface Probe {
  /** Handlers at work now. */
  running: number;
  /** Why each handler's signal fired. */
  reasons: string[];
  /** Lets Stubborn finish. */
  release: () => void;
}

const description = `interface org.example.shutdown
# Streams until told to stop, like a watch.
method Watch() -> (tick: int)
# Waits for its signal, then fails.
method Wait() -> ()
# Ignores its signal and replies when released.
method Stubborn() -> (done: bool)
method Echo(value: string) -> (value: string)
`;

function shutdownService(probe: Probe): ServiceInterface {
  let released: Promise<void> = new Promise((resolve) => (probe.release = resolve));
  const aborted = (signal: AbortSignal): Promise<void> =>
    new Promise((resolve) =>
      signal.addEventListener("abort", () => {
        probe.reasons.push(String((signal.reason as Error).message));
        resolve();
      }),
    );
  return {
    name: "org.example.shutdown",
    description,
    methods: {
      Watch: async function* (_p: object, context) {
        probe.running++;
        try {
          yield { tick: 0 };
          // Never yields again: a watch whose events stopped coming.
          await aborted(context.signal);
          await new Promise(() => {});
        } finally {
          probe.running--;
        }
      },
      Wait: async (_p: object, context) => {
        probe.running++;
        await aborted(context.signal);
        probe.running--;
        throw new Error("stopped");
      },
      Stubborn: async (_p: object, context) => {
        probe.running++;
        void aborted(context.signal);
        await released;
        released = new Promise((resolve) => (probe.release = resolve));
        probe.running--;
        return { done: true };
      },
      Echo: (p: { value: string }) => ({ value: p.value }),
    },
  };
}

async function setup(t: TestContext): Promise<{ running: TestServer; client: SocketConnection; probe: Probe }> {
  const probe: Probe = { running: 0, reasons: [], release: () => {} };
  const running = await startServer([shutdownService(probe)]);
  t.after(() => running.server.close({ timeout: 0 }));
  const client = await SocketConnection.connect(running.address);
  t.after(() => client.close());
  return { running, client, probe };
}

const failure = (promise: Promise<unknown>): Promise<unknown> =>
  promise.then(
    () => "resolved",
    (error: unknown) => error,
  );

const isShuttingDown = (error: unknown): boolean =>
  error instanceof VarlinkError && error.errorName === "org.varlinkts.ShuttingDown";

test("close() ends a running stream at once with ShuttingDown and fires its handler's signal", async (t) => {
  const { running, client, probe } = await setup(t);
  const stream = client.more("org.example.shutdown.Watch");
  assert.deepEqual((await stream.next()).value, { tick: 0 });
  await running.server.close();
  assert.ok(isShuttingDown(await failure(stream.next())));
  assert.deepEqual(probe.reasons, ["the server is shutting down"]);
});

test("a handler that fails once told to stop answers ShuttingDown, not InternalError", async (t) => {
  const { running, client, probe } = await setup(t);
  const call = failure(client.call("org.example.shutdown.Wait"));
  await eventually(() => probe.running === 1, "the handler runs");
  await running.server.close();
  assert.ok(isShuttingDown(await call), String(await call));
  assert.ok(!running.logged.some((line) => line.includes("failed")), running.logged.join("\n"));
});

test("a handler that ignores its signal still finishes, and its reply and the calls queued behind it are answered", async (t) => {
  const { running, client, probe } = await setup(t);
  const stubborn = client.call("org.example.shutdown.Stubborn");
  const queued = client.call("org.example.shutdown.Echo", { value: "queued" });
  await eventually(() => probe.running === 1, "the handler runs");
  const closed = running.server.close();
  await eventually(() => probe.reasons.length === 1, "the handler's signal fires");
  probe.release();
  assert.deepEqual(await stubborn, { done: true });
  assert.deepEqual(await queued, { value: "queued" });
  await closed;
  assert.equal(running.server.connectionCount, 0);
});

test("close({ timeout }) cuts a connection whose handler never finishes", async (t) => {
  const { running, client, probe } = await setup(t);
  const stubborn = failure(client.call("org.example.shutdown.Stubborn"));
  await eventually(() => probe.running === 1, "the handler runs");
  await running.server.close({ timeout: 50 });
  assert.equal(running.server.connectionCount, 0);
  assert.match(String(await stubborn), /ConnectionError/);
  probe.release();
});
