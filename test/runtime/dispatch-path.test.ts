import assert from "node:assert/strict";
import path from "node:path";
import { test, type TestContext } from "node:test";
import { SocketConnection, type ServerInterceptor, type ServerOptions } from "@varlink-ts/runtime";
import { repoRoot } from "../helpers/paths.js";
import { startServer, testInterfaceText } from "../helpers/runtime.js";

// The server has one dispatch path: without interceptors the chain is the handler's own `next`,
// not a second, direct path beside it (as connect-es's applyInterceptors returns `next` itself).

const runtimeDist = path.join(repoRoot, "src", "runtime", "dist") + path.sep;

/** The runtime's stack frames (function and place) under the handler of one Echo call. */
async function framesUnderHandler(
  t: TestContext,
  server: ServerOptions,
  interfaceInterceptors: ServerInterceptor[] = [],
): Promise<string[]> {
  let stack = "";
  const running = await startServer(
    [
      {
        name: "org.example.test",
        description: testInterfaceText,
        methods: {
          Echo: (parameters: { value: unknown }) => {
            const limit = Error.stackTraceLimit;
            Error.stackTraceLimit = 50;
            stack = new Error().stack ?? "";
            Error.stackTraceLimit = limit;
            return parameters;
          },
        },
        interceptors: interfaceInterceptors,
      },
    ],
    server,
  );
  t.after(() => running.server.close({ timeout: 0 }));
  const connection = await SocketConnection.connect(running.address);
  t.after(() => connection.close());
  assert.deepEqual(await connection.call("org.example.test.Echo", { value: 1 }), { value: 1 });
  return stack
    .split("\n")
    .filter((line) => line.includes(runtimeDist))
    .map((line) => line.trim().replace(`file://${runtimeDist}`, ""));
}

/** Passes every call on as it is, synchronously, so the stack stays one. */
const passThrough: ServerInterceptor = (next) => (call) => next(call);

test("a call runs through the same functions with and without interceptors", async (t) => {
  const bare = await framesUnderHandler(t, {});
  const intercepted = await framesUnderHandler(t, { interceptors: [passThrough] }, [passThrough]);
  assert.ok(
    bare.some((frame) => frame.includes("dispatch")),
    `the stack shows dispatch:\n${bare.join("\n")}`,
  );
  assert.deepEqual(bare, intercepted);
});
