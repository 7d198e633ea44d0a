import assert from "node:assert/strict";
import type { Duplex } from "node:stream";
import { describe, test, type TestContext } from "node:test";
import {
  deadline,
  intercept,
  InternalError,
  InvalidParameter,
  logClientCalls,
  logServerCalls,
  MethodNotFound,
  PermissionDenied,
  SocketConnection,
  VarlinkError,
  type ClientInterceptor,
  type ServerInterceptor,
  type ServerOptions,
} from "@varlink-ts/runtime";
import { firstOf, mapped } from "../helpers/streams.js";
import { eventually, startServer, testService, type TestState } from "../helpers/runtime.js";

// Interceptors on both sides, over a unix socket: every call kind, their order, changing calls
// and replies, answering early, failing, cutting a stream short, and cancellation reaching the
// handler. (Through the HTTP and WebSocket bridges: test/cli/bridge-interceptors.test.ts.)

async function setup(
  t: TestContext,
  options: { server?: ServerOptions; interface?: ServerInterceptor[]; client?: ClientInterceptor[] } = {},
) {
  const state: TestState = { started: 0, running: 0, notified: [] };
  const service = testService(state);
  const running = await startServer(
    [{ ...service, ...(options.interface !== undefined ? { interceptors: options.interface } : {}) }],
    options.server,
  );
  t.after(() => running.server.close({ timeout: 0 }));
  const raw = await SocketConnection.connect(running.address);
  t.after(() => raw.close());
  return { ...running, state, raw, client: intercept(raw, options.client) };
}

/** An interceptor that notes when it is entered and left, in `trace`. */
function tracing<N extends (call: never) => unknown>(trace: string[], name: string): (next: N) => N {
  return (next) =>
    (async (call: never) => {
      trace.push(`${name} in`);
      try {
        return await next(call);
      } finally {
        trace.push(`${name} out`);
      }
    }) as N;
}

async function collect<T>(replies: AsyncIterable<T>): Promise<T[]> {
  const all: T[] = [];
  for await (const reply of replies) all.push(reply);
  return all;
}

describe("client interceptors", () => {
  test("run in the order given, the first outermost", async (t) => {
    const trace: string[] = [];
    const { client } = await setup(t, { client: [tracing(trace, "a"), tracing(trace, "b")] });
    await client.call("org.example.test.Echo", { value: 1 });
    assert.deepEqual(trace, ["a in", "b in", "b out", "a out"]);
  });

  test("see the method, the kind and the options, and may change the parameters and the reply", async (t) => {
    const seen: string[] = [];
    const signal = new AbortController().signal;
    const rewrite: ClientInterceptor = (next) => async (call) => {
      seen.push(`${call.method} ${call.kind} ${call.options.signal === signal}`);
      const outcome = await next({ ...call, parameters: { value: `${call.parameters["value"]}!` } });
      return outcome.kind === "reply"
        ? { kind: "reply", parameters: { value: `<${outcome.parameters["value"]}>` } }
        : outcome;
    };
    const { client } = await setup(t, { client: [rewrite] });
    assert.deepEqual(await client.call("org.example.test.Echo", { value: "hi" }, { signal }), { value: "<hi!>" });
    assert.deepEqual(seen, ["org.example.test.Echo call true"]);
  });

  test("may answer without calling next: the service never hears of the call", async (t) => {
    const cached: ClientInterceptor = () => async () => ({ kind: "reply", parameters: { value: "from the cache" } });
    const { client, state } = await setup(t, { client: [cached] });
    assert.deepEqual(await client.call("org.example.test.Big", { bytes: 3 }), { value: "from the cache" });
    assert.equal(state.started, 0);
  });

  test("an error thrown in one fails that call; the connection goes on", async (t) => {
    let first = true;
    const failing: ClientInterceptor = (next) => (call) => {
      if (first) {
        first = false;
        throw new Error("refused by the interceptor");
      }
      return next(call);
    };
    const { client } = await setup(t, { client: [failing] });
    await assert.rejects(client.call("org.example.test.Echo", { value: 1 }), /refused by the interceptor/);
    assert.deepEqual(await client.call("org.example.test.Echo", { value: 2 }), { value: 2 });
  });

  test("see error replies as the caller does", async (t) => {
    const errors: string[] = [];
    const watching: ClientInterceptor = (next) => async (call) => {
      try {
        return await next(call);
      } catch (error) {
        errors.push((error as VarlinkError).errorName);
        throw error;
      }
    };
    const { client } = await setup(t, { client: [watching] });
    await assert.rejects(client.call("org.example.test.Fail", { kind: "denied" }), PermissionDenied);
    assert.deepEqual(errors, ["org.varlink.service.PermissionDenied"]);
  });

  test("see and change each reply of a stream", async (t) => {
    const doubled: ClientInterceptor = (next) => async (call) => {
      const outcome = await next(call);
      if (outcome.kind !== "stream") return outcome;
      return {
        kind: "stream",
        replies: mapped(outcome.replies, (reply) => ({ i: (reply["i"] as number) * 2 })),
      };
    };
    const { client } = await setup(t, { client: [doubled] });
    assert.deepEqual(await collect(client.more("org.example.test.Count", { n: 3 })), [{ i: 0 }, { i: 2 }, { i: 4 }]);
  });

  test("may cut a stream short: the caller sees the replies it let through, and the stream ends", async (t) => {
    const firstTwo: ClientInterceptor = (next) => async (call) => {
      const outcome = await next(call);
      if (outcome.kind !== "stream") return outcome;
      return {
        kind: "stream",
        replies: firstOf(outcome.replies, 2),
      };
    };
    const { client, state } = await setup(t, { client: [firstTwo] });
    assert.deepEqual(await collect(client.more("org.example.test.Forever")), [{ i: 0 }, { i: 1 }]);
    // Ending a stream early closes the connection (varlink has no other way); the handler is told.
    await eventually(() => state.started === 1 && state.running === 0, "the service's handler stops");
  });

  test("a oneway call goes through them, and next resolves once it is sent", async (t) => {
    const kinds: string[] = [];
    const noting: ClientInterceptor = (next) => async (call) => {
      const outcome = await next(call);
      kinds.push(`${call.kind} ${outcome.kind}`);
      return outcome;
    };
    const { client, state } = await setup(t, { client: [noting] });
    await client.oneway("org.example.test.Notify", { text: "quietly" });
    assert.deepEqual(kinds, ["oneway sent"]);
    await eventually(() => state.notified.includes("quietly"), "the service gets the oneway call");
  });

  test("an upgrade goes through them, and next gives the reply and the raw stream", async (t) => {
    const kinds: string[] = [];
    const noting: ClientInterceptor = (next) => async (call) => {
      const outcome = await next(call);
      kinds.push(`${call.kind} ${outcome.kind}`);
      return outcome;
    };
    const { client } = await setup(t, { client: [noting] });
    const { stream } = await client.upgrade!("org.example.test.Shout", {});
    const duplex = stream as Duplex;
    t.after(() => duplex.destroy());
    const echoed = new Promise<string>((resolve) => duplex.once("data", (chunk: Buffer) => resolve(chunk.toString())));
    duplex.resume();
    duplex.write("quiet words");
    assert.equal(await echoed, "QUIET WORDS");
    assert.deepEqual(kinds, ["upgrade upgraded"]);
  });

  test("an outcome of the wrong kind fails the call with a TypeError that says so", async (t) => {
    const confused: ClientInterceptor = () => async () => ({ kind: "sent" });
    const { client } = await setup(t, { client: [confused] });
    await assert.rejects(
      client.call("org.example.test.Echo", { value: 1 }),
      (error: unknown) =>
        error instanceof TypeError &&
        /answered the call of org\.example\.test\.Echo with "sent", not "reply"/.test(error.message),
    );
  });

  test("without interceptors, intercept gives back the connection itself", async (t) => {
    const { raw } = await setup(t);
    assert.equal(intercept(raw, []), raw);
    assert.equal(intercept(raw, undefined), raw);
  });
});

describe("server interceptors", () => {
  test("the server's run around the interface's, each in the order given", async (t) => {
    const trace: string[] = [];
    const { client } = await setup(t, {
      server: { interceptors: [tracing(trace, "a"), tracing(trace, "b")] },
      interface: [tracing(trace, "c")],
    });
    await client.call("org.example.test.Echo", { value: 1 });
    assert.deepEqual(trace, ["a in", "b in", "c in", "c out", "b out", "a out"]);
  });

  test("see every kind of call with its method, and calls of unknown methods fail in next", async (t) => {
    const seen: string[] = [];
    const noting: ServerInterceptor = (next) => async (call) => {
      try {
        return await next(call);
      } finally {
        seen.push(`${call.method} ${call.kind}`);
      }
    };
    const { client } = await setup(t, { server: { interceptors: [noting] } });
    await client.call("org.example.test.Echo", { value: 1 });
    await collect(client.more("org.example.test.Count", { n: 1 }));
    await client.oneway("org.example.test.Notify", { text: "x" });
    await assert.rejects(client.call("org.example.test.Nope"), MethodNotFound);
    await eventually(() => seen.length === 4, "every call is seen");
    assert.deepEqual(seen, [
      "org.example.test.Echo call",
      "org.example.test.Count more",
      "org.example.test.Notify oneway",
      "org.example.test.Nope call",
    ]);
  });

  test("may change the parameters, which are then checked before the handler sees them", async (t) => {
    const rewrite: ServerInterceptor = (next) => (call) =>
      next({ ...call, parameters: call.method.endsWith(".Big") ? { bytes: "many" } : { value: "changed" } });
    const { client, state } = await setup(t, { interface: [rewrite] });
    assert.deepEqual(await client.call("org.example.test.Echo", { value: "sent" }), { value: "changed" });
    await assert.rejects(
      client.call("org.example.test.Big", { bytes: 1 }),
      (error: unknown) => error instanceof InvalidParameter && error.parameters.parameter === "bytes",
    );
    assert.equal(state.started, 0);
  });

  test("may change the reply", async (t) => {
    const wrap: ServerInterceptor = (next) => async (call) => {
      const outcome = await next(call);
      return outcome.kind === "reply"
        ? { kind: "reply", parameters: { value: ["wrapped", (outcome.parameters as { value: unknown }).value] } }
        : outcome;
    };
    const { client } = await setup(t, { server: { interceptors: [wrap] } });
    assert.deepEqual(await client.call("org.example.test.Echo", { value: 7 }), { value: ["wrapped", 7] });
  });

  test("may refuse a call before its handler runs (an authorisation check)", async (t) => {
    const onlyEcho: ServerInterceptor = (next) => (call) => {
      if (call.method !== "org.example.test.Echo") throw new PermissionDenied();
      return next(call);
    };
    const { client, state } = await setup(t, { interface: [onlyEcho] });
    await assert.rejects(client.call("org.example.test.Big", { bytes: 1 }), PermissionDenied);
    assert.equal(state.started, 0);
    assert.deepEqual(await client.call("org.example.test.Echo", { value: 1 }), { value: 1 });
  });

  test("an exception in one is answered with InternalError and logged; the connection goes on", async (t) => {
    const broken: ServerInterceptor = (next) => (call) => {
      if (call.method.endsWith(".Big")) throw new Error("the interceptor broke");
      return next(call);
    };
    const { client, logged } = await setup(t, { server: { interceptors: [broken] } });
    await assert.rejects(
      client.call("org.example.test.Big", { bytes: 1 }),
      (error: unknown) => error instanceof InternalError,
    );
    assert.ok(
      logged.some((line) => line.includes("org.example.test.Big failed")),
      logged.join("\n"),
    );
    assert.deepEqual(await client.call("org.example.test.Echo", { value: 2 }), { value: 2 });
  });

  test("an async one that rejects is answered the same way", async (t) => {
    const broken: ServerInterceptor = () => async () => {
      throw new Error("later");
    };
    const { client } = await setup(t, { interface: [broken] });
    await assert.rejects(
      client.call("org.example.test.Echo", { value: 1 }),
      (error: unknown) => error instanceof InternalError,
    );
  });

  test("may see and cut short a stream: the last reply it lets through ends the call, and the handler is told", async (t) => {
    const firstTwo: ServerInterceptor = (next) => async (call) => {
      const outcome = await next(call);
      if (outcome.kind !== "stream") return outcome;
      return {
        kind: "stream",
        replies: firstOf(outcome.replies, 2),
      };
    };
    const { client, state } = await setup(t, { interface: [firstTwo] });
    assert.deepEqual(await collect(client.more("org.example.test.Forever")), [{ i: 0 }, { i: 1 }]);
    await eventually(() => state.running === 0, "the handler's generator is closed");
    assert.deepEqual(
      await client.call("org.example.test.Echo", { value: "after" }),
      { value: "after" },
      "the connection goes on",
    );
  });

  test("a stream's error comes out of its replies, after the replies before it", async (t) => {
    const errors: string[] = [];
    const watching: ServerInterceptor = (next) => async (call) => {
      const outcome = await next(call);
      if (outcome.kind !== "stream") return outcome;
      return {
        kind: "stream",
        replies: (async function* () {
          try {
            yield* outcome.replies;
          } catch (error) {
            errors.push((error as VarlinkError).errorName);
            throw error;
          }
        })(),
      };
    };
    const { client } = await setup(t, { interface: [watching] });
    const seen: unknown[] = [];
    await assert.rejects(
      async () => {
        for await (const reply of client.more("org.example.test.Count", { n: -2 })) seen.push(reply);
      },
      (error: unknown) => error instanceof VarlinkError && error.errorName === "org.example.test.Custom",
    );
    assert.deepEqual(seen, [{ i: 0 }, { i: 1 }]);
    assert.deepEqual(errors, ["org.example.test.Custom"]);
  });

  test("cancellation reaches the handler through them: the client leaves, the handler's signal fires", async (t) => {
    let aborted = false;
    const watching: ServerInterceptor = (next) => (call) => {
      call.context.signal.addEventListener("abort", () => (aborted = true));
      return next(call);
    };
    const { client, raw, state } = await setup(t, { server: { interceptors: [watching] } });
    const slow = client.call("org.example.test.Slow", { ms: 60_000 });
    slow.catch(() => {});
    await eventually(() => state.running === 1, "the handler runs");
    await raw.close();
    await eventually(() => aborted && state.running === 0, "the handler is told to stop");
  });

  test("a upgrade call goes through them; the handler takes the connection", async (t) => {
    const kinds: string[] = [];
    const noting: ServerInterceptor = (next) => (call) => {
      kinds.push(call.kind);
      return next(call);
    };
    const { client } = await setup(t, { interface: [noting] });
    const { stream } = await client.upgrade!("org.example.test.Shout", {});
    const duplex = stream as Duplex;
    t.after(() => duplex.destroy());
    const echoed = new Promise<string>((resolve) => duplex.once("data", (chunk: Buffer) => resolve(chunk.toString())));
    duplex.resume();
    duplex.write("abc");
    assert.equal(await echoed, "ABC");
    assert.deepEqual(kinds, ["upgrade"]);
  });
});

describe("ready-made interceptors", () => {
  test("logClientCalls writes one line per call: method, duration, outcome; streams counted", async (t) => {
    const lines: string[] = [];
    const { client } = await setup(t, { client: [logClientCalls((line) => lines.push(line))] });
    await client.call("org.example.test.Echo", { value: 1 });
    await assert.rejects(client.call("org.example.test.Fail", { kind: "denied" }));
    await collect(client.more("org.example.test.Count", { n: 3 }));
    assert.equal(lines.length, 3, lines.join("\n"));
    assert.match(lines[0]!, /^org\.example\.test\.Echo \d+\.\d ms ok$/);
    assert.match(lines[1]!, /^org\.example\.test\.Fail \d+\.\d ms error org\.varlink\.service\.PermissionDenied$/);
    assert.match(lines[2]!, /^org\.example\.test\.Count \d+\.\d ms ok, 3 replies$/);
  });

  test("logServerCalls writes one line per call answered, failures included", async (t) => {
    const lines: string[] = [];
    const { client } = await setup(t, { server: { interceptors: [logServerCalls((line) => lines.push(line))] } });
    await client.call("org.example.test.Echo", { value: 1 });
    await assert.rejects(client.call("org.example.test.Fail", { kind: "custom" }));
    await collect(client.more("org.example.test.Count", { n: 2 }));
    await eventually(() => lines.length === 3, "three lines are written");
    assert.match(lines[0]!, /^org\.example\.test\.Echo \d+\.\d ms ok$/);
    assert.match(lines[1]!, /^org\.example\.test\.Fail \d+\.\d ms failed: boom$/);
    assert.match(lines[2]!, /^org\.example\.test\.Count \d+\.\d ms ok, 2 replies$/);
  });

  test("deadline gives a call without a timeout the method's or the default one", async (t) => {
    const { client } = await setup(t, {
      client: [deadline({ timeout: 100, methods: { "org.example.test.Echo": 5000 } })],
    });
    await assert.rejects(client.call("org.example.test.Slow", { ms: 60_000 }), /no reply within 100 ms/);
  });

  test("deadline leaves a call's own timeout alone", async (t) => {
    const { client } = await setup(t, { client: [deadline(60_000)] });
    await assert.rejects(
      client.call("org.example.test.Slow", { ms: 60_000 }, { timeout: 50 }),
      /no reply within 50 ms/,
    );
  });

  test("deadline gives a stream no default, only its method's own", async (t) => {
    const seen: Array<number | undefined> = [];
    const noting: ClientInterceptor = (next) => (call) => {
      seen.push(call.options.timeout);
      return next(call);
    };
    const { client } = await setup(t, {
      client: [deadline({ timeout: 100, methods: { "org.example.test.Forever": 150 } }), noting],
    });
    await collect(client.more("org.example.test.Count", { n: 1 }));
    await assert.rejects(collect(client.more("org.example.test.Forever")), /no reply within 150 ms/);
    assert.deepEqual(seen, [undefined, 150]);
  });
});
