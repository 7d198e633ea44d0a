import assert from "node:assert/strict";
import { after, before, describe, test, type TestContext } from "node:test";
import {
  connectWebSocket,
  HttpConnection,
  intercept,
  InternalError,
  PermissionDenied,
  type VarlinkError,
  type ClientInterceptor,
  type ServerInterceptor,
  type VarlinkConnection,
} from "@varlink-ts/runtime";
import { startBridge, type BridgeProcess } from "../helpers/bridge.js";
import { firstOf, mapped } from "../helpers/streams.js";
import { eventually, startServer, testService, type TestServer, type TestState } from "../helpers/runtime.js";

// Interceptors on both ends of the HTTP bridge: client interceptors on an HttpConnection and on
// a WebSocket, server interceptors on the service behind the bridge. (Over a unix socket, with
// every case on its own: test/runtime/interceptors.test.ts.)

const transports: Array<{ name: string; open: (bridge: BridgeProcess) => Promise<VarlinkConnection> }> = [
  { name: "HTTP", open: async (bridge) => new HttpConnection(bridge.url, { service: "test" }) },
  { name: "WebSocket", open: (bridge) => connectWebSocket(`ws://127.0.0.1:${bridge.port}/varlink/ws/services/test`) },
];

describe("interceptors through the HTTP bridge", () => {
  const state: TestState = { started: 0, running: 0, notified: [] };
  /** What the service's interceptors saw: `method kind`, and aborts. */
  const served: string[] = [];
  let service: TestServer;
  let bridge: BridgeProcess;

  const noting: ServerInterceptor = (next) => (call) => {
    served.push(`${call.method} ${call.kind}`);
    call.context.signal.addEventListener("abort", () => served.push(`${call.method} aborted`));
    return next(call);
  };
  /** Refuses Big; fails on Fail with kind "interceptor"; lets Forever yield two replies; wraps Echo's reply. */
  const policy: ServerInterceptor = (next) => async (call) => {
    if (call.method.endsWith(".Big")) throw new PermissionDenied();
    if (call.method.endsWith(".Fail") && call.parameters["kind"] === "interceptor")
      throw new Error("the service's interceptor broke");
    const outcome = await next(call);
    if (outcome.kind === "reply" && call.method.endsWith(".Echo"))
      return { kind: "reply", parameters: { value: ["server", (outcome.parameters as { value: unknown }).value] } };
    if (outcome.kind !== "stream" || !call.method.endsWith(".Count")) return outcome;
    return {
      kind: "stream",
      replies: firstOf(outcome.replies, 2),
    };
  };

  before(async () => {
    service = await startServer([{ ...testService(state), interceptors: [policy] }], { interceptors: [noting] });
    bridge = await startBridge(["--service", `test=${service.address}`, "--base", "/varlink"]);
  });
  after(async () => {
    await bridge.stop();
    await service.server.close({ timeout: 0 });
  });

  for (const transport of transports) {
    describe(transport.name, () => {
      const open = async (t: TestContext, interceptors: ClientInterceptor[]): Promise<VarlinkConnection> => {
        const connection = await transport.open(bridge);
        t.after(() => connection.close());
        return intercept(connection, interceptors);
      };

      test("a call: client interceptors in order, the service's change the reply", async (t) => {
        const trace: string[] = [];
        const step =
          (name: string): ClientInterceptor =>
          (next) =>
          async (call) => {
            trace.push(name);
            return next({ ...call, parameters: { value: `${call.parameters["value"]}+${name}` } });
          };
        const client = await open(t, [step("a"), step("b")]);
        assert.deepEqual(await client.call("org.example.test.Echo", { value: "x" }), { value: ["server", "x+a+b"] });
        assert.deepEqual(trace, ["a", "b"]);
      });

      test("a stream: the service's interceptor cuts it to two replies, the client's changes each", async (t) => {
        const doubled: ClientInterceptor = (next) => async (call) => {
          const outcome = await next(call);
          if (outcome.kind !== "stream") return outcome;
          return {
            kind: "stream",
            replies: mapped(outcome.replies, (reply) => ({ i: (reply["i"] as number) * 10 })),
          };
        };
        const client = await open(t, [doubled]);
        const replies: unknown[] = [];
        for await (const reply of client.more("org.example.test.Count", { n: 5 })) replies.push(reply);
        assert.deepEqual(replies, [{ i: 0 }, { i: 10 }]);
      });

      test("a oneway call: both sides see its kind", async (t) => {
        const kinds: string[] = [];
        const client = await open(t, [
          (next) => async (call) => {
            const outcome = await next(call);
            kinds.push(`${call.kind} ${outcome.kind}`);
            return outcome;
          },
        ]);
        const text = `oneway over ${transport.name}`;
        await client.oneway("org.example.test.Notify", { text });
        assert.deepEqual(kinds, ["oneway sent"]);
        await eventually(() => state.notified.includes(text), "the service gets the call");
        assert.ok(served.includes("org.example.test.Notify oneway"), served.join("\n"));
      });

      test("the service's interceptor refuses a call; the client's sees the error reply", async (t) => {
        const errors: string[] = [];
        const client = await open(t, [
          (next) => async (call) => {
            try {
              return await next(call);
            } catch (error) {
              errors.push((error as VarlinkError).errorName);
              throw error;
            }
          },
        ]);
        const before = state.started;
        await assert.rejects(client.call("org.example.test.Big", { bytes: 1 }), PermissionDenied);
        assert.deepEqual(errors, ["org.varlink.service.PermissionDenied"]);
        assert.equal(state.started, before, "the handler never ran");
      });

      test("an exception in the service's interceptor is InternalError at the client", async (t) => {
        const client = await open(t, []);
        await assert.rejects(
          client.call("org.example.test.Fail", { kind: "interceptor" }),
          (error: unknown) => error instanceof InternalError,
        );
      });

      test("an exception in a client interceptor fails the call before it is sent", async (t) => {
        const client = await open(t, [
          () => () => {
            throw new Error("not sent");
          },
        ]);
        const count = served.length;
        await assert.rejects(client.call("org.example.test.Echo", { value: 1 }), /not sent/);
        assert.equal(served.length, count);
      });

      test("cancelling a stream reaches the handler behind the bridge", async (t) => {
        const controller = new AbortController();
        const client = await open(t, [
          (next) => (call) => next({ ...call, options: { ...call.options, signal: controller.signal } }),
        ]);
        const running = state.running;
        const abortsBefore = served.filter((line) => line === "org.example.test.Forever aborted").length;
        const stream = client.more("org.example.test.Forever");
        const first = await stream.next();
        assert.deepEqual(first.value, { i: 0 });
        controller.abort();
        // Replies already received may still be read; then the stream fails with the abort.
        await assert.rejects(async () => {
          for (let reply = await stream.next(); reply.done !== true; reply = await stream.next());
        }, /aborted/);
        await eventually(() => state.running === running, "the handler stops");
        await eventually(
          () => served.filter((line) => line === "org.example.test.Forever aborted").length === abortsBefore + 1,
          "the interceptor sees the handler's signal fire",
        );
      });
    });
  }
});
