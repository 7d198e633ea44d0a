import assert from "node:assert/strict";
import { test, type TestContext } from "node:test";
import {
  CallAbortedError,
  CallTimedOut,
  createClient,
  deadline,
  intercept,
  InternalError,
  SocketConnection,
  type AnyInterfaceDescriptor,
  type ClientInterceptor,
  type ClientOutcome,
  type ServerInterceptor,
  type ServerOptions,
  type ServerOutcome,
  type ServiceInterface,
} from "@varlink-ts/runtime";
import { noFdLeak, openFdCount } from "../helpers/fds.js";
import { startServer, type TestServer } from "../helpers/runtime.js";

// What a careless or hostile interceptor or handler can do, on either side: throw anything (a
// revoked Proxy, an error whose getters throw, null, a symbol), return junk, never call `next`,
// call it twice, hang. What must hold: the call is answered or rejected with a clear error, the
// server lives and serves the next call, and nothing leaks.

/** A Proxy that is revoked: `instanceof`, reading a property, anything on it throws a TypeError. */
function revokedProxy(): object {
  const { proxy, revoke } = Proxy.revocable({}, {});
  revoke();
  return proxy;
}

/** An "error" whose every property throws when read, `then` included. */
function trappedError(): object {
  const trap = {
    get(): never {
      throw new Error("a getter that throws");
    },
  };
  return Object.create(Error.prototype, { name: trap, message: trap, stack: trap, then: trap, constructor: trap });
}

/** Values thrown (or rejected with) by name; made fresh each time, as a thrower would. */
const thrown: Record<string, () => unknown> = {
  "a revoked Proxy": revokedProxy,
  "an error whose getters throw": trappedError,
  null: () => null,
  undefined: () => undefined,
  "a symbol": () => Symbol("hostile"),
  "an object without a prototype": () => Object.create(null),
};

const description = `interface org.example.hostile
method Echo(value: any) -> (value: any)
method Throw(what: string) -> ()
method ThrowLater(what: string) -> ()
method Return(what: string) -> (value: any)
`;

const service: ServiceInterface = {
  name: "org.example.hostile",
  description,
  methods: {
    Echo: (p: { value: unknown }) => ({ value: p.value }),
    Throw: (p: { what: string }) => {
      throw thrown[p.what]!();
    },
    ThrowLater: async (p: { what: string }) => {
      await new Promise((resolve) => setImmediate(resolve));
      throw thrown[p.what]!();
    },
    // Returns the thrown value as the reply itself (a revoked Proxy, an object whose getters throw).
    Return: (p: { what: string }) => thrown[p.what]!() as object,
  },
};

interface Setup extends TestServer {
  client: SocketConnection;
}

/** A server with `interceptors` and a client; the server and the client are closed after, and no fd may be left open. */
async function setup(t: TestContext, options: ServerOptions = {}): Promise<Setup> {
  const before = openFdCount();
  const running = await startServer([service], options);
  const client = await SocketConnection.connect(running.address);
  t.after(async () => {
    await client.close();
    await running.server.close({ timeout: 0 });
    await noFdLeak(before);
  });
  return { ...running, client };
}

/** The call fails with the varlink error `name`. */
async function rejectsWith(call: Promise<unknown>, errorClass: new (...args: never[]) => unknown): Promise<void> {
  await assert.rejects(call, (error: unknown) => error instanceof errorClass);
}

/** The server is alive and answers in order. */
async function serves(client: SocketConnection): Promise<void> {
  assert.deepEqual(await client.call("org.example.hostile.Echo", { value: "alive" }), { value: "alive" });
}

// ---- The server: handlers ----

for (const what of Object.keys(thrown)) {
  for (const method of ["Throw", "ThrowLater"]) {
    test(`server: a handler (${method}) that throws ${what} is answered InternalError, logged in one line, and the server lives`, async (t) => {
      const { client, logged } = await setup(t);
      await rejectsWith(client.call(`org.example.hostile.${method}`, { what }), InternalError);
      assert.ok(logged.some((line) => line === `method org.example.hostile.${method} failed`));
      await serves(client);
    });
  }
}

for (const what of ["a revoked Proxy", "an error whose getters throw"]) {
  test(`server: a handler that returns ${what} as its reply is answered InternalError`, async (t) => {
    const { client } = await setup(t);
    await rejectsWith(client.call("org.example.hostile.Return", { what }), InternalError);
    await serves(client);
  });
}

test("server: a logger that throws on what it is given does not cost the call its answer", async (t) => {
  const { client } = await setup(t, {
    logger: () => {
      throw new Error("the logger failed");
    },
  });
  await rejectsWith(client.call("org.example.hostile.Throw", { what: "a revoked Proxy" }), InternalError);
  await rejectsWith(client.call("org.example.hostile.ThrowLater", { what: "null" }), InternalError);
  await serves(client);
});

// ---- The server: interceptors ----

/** An interceptor that does `act` instead of (or around) calling next, for calls of Echo only. */
function serverInterceptor(
  act: (
    next: (call: Parameters<ReturnType<ServerInterceptor>>[0]) => ServerOutcome | Promise<ServerOutcome>,
    call: Parameters<ReturnType<ServerInterceptor>>[0],
  ) => unknown,
): ServerInterceptor {
  return (next) => (call) =>
    call.method === "org.example.hostile.Echo" && call.parameters["value"] !== "alive"
      ? (act(next, call) as ServerOutcome)
      : next(call);
}

for (const what of Object.keys(thrown)) {
  test(`server: an interceptor that throws ${what} is answered InternalError, and the server lives`, async (t) => {
    const { client } = await setup(t, {
      interceptors: [
        serverInterceptor(() => {
          throw thrown[what]!();
        }),
      ],
    });
    await rejectsWith(client.call("org.example.hostile.Echo", { value: 1 }), InternalError);
    await serves(client);
  });

  test(`server: an interceptor that rejects with ${what} is answered InternalError, and the server lives`, async (t) => {
    const { client } = await setup(t, { interceptors: [serverInterceptor(() => Promise.reject(thrown[what]!()))] });
    await rejectsWith(client.call("org.example.hostile.Echo", { value: 1 }), InternalError);
    await serves(client);
  });
}

for (const [what, junk] of [
  ["undefined", () => undefined],
  ["a plain object", () => ({})],
  ["a stream of a number", () => ({ kind: "stream", replies: 5 })],
  ["a revoked Proxy", revokedProxy],
  ["a promise of a revoked Proxy", () => Promise.resolve(revokedProxy())],
] as const) {
  test(`server: an interceptor that returns ${what} is answered InternalError, and the server lives`, async (t) => {
    const { client, logged } = await setup(t, { interceptors: [serverInterceptor(junk)] });
    await rejectsWith(client.call("org.example.hostile.Echo", { value: 1 }), InternalError);
    assert.ok(logged.some((line) => line === "method org.example.hostile.Echo failed"));
    await serves(client);
  });
}

test("server: an interceptor that calls next twice answers the call once, and the next call gets its own reply", async (t) => {
  const { client } = await setup(t, {
    interceptors: [
      serverInterceptor(async (next, call) => {
        await next(call);
        return next(call);
      }),
    ],
  });
  assert.deepEqual(await client.call("org.example.hostile.Echo", { value: 1 }), { value: 1 });
  await serves(client);
});

test("server: an interceptor that never calls next is ended by callTimeout; close() does not wait for it", async (t) => {
  const { client, server } = await setup(t, {
    callTimeout: 100,
    interceptors: [serverInterceptor(() => new Promise(() => {}))],
  });
  await rejectsWith(client.call("org.example.hostile.Echo", { value: 1 }), CallTimedOut);
  await serves(client);
  const pending = client.call("org.example.hostile.Echo", { value: 2 });
  pending.catch(() => {});
  await server.close({ timeout: 50 });
});

// ---- The client ----

/** A client of the hostile service through `interceptors`. */
async function interceptedClient(t: TestContext, interceptors: ClientInterceptor[]) {
  const { client } = await setup(t);
  return { raw: client, client: intercept(client, interceptors) };
}

/** A client interceptor that does `act` instead of calling next for Echo calls, and passes every other call. */
function clientInterceptor(
  act: (next: Parameters<ClientInterceptor>[0], call: Parameters<ReturnType<ClientInterceptor>>[0]) => unknown,
): ClientInterceptor {
  return (next) => (call) =>
    call.method === "org.example.hostile.Echo" && call.parameters["value"] !== "alive"
      ? (act(next, call) as Promise<ClientOutcome>)
      : next(call);
}

for (const [what, junk] of [
  ["undefined", () => undefined],
  ["a plain object", () => ({})],
  ["a promise of a plain object", () => Promise.resolve({ kind: "nonsense" })],
] as const) {
  test(`client: an interceptor that returns ${what} rejects the call with a TypeError saying so, never throws at once`, async (t) => {
    const { client, raw } = await interceptedClient(t, [clientInterceptor(junk)]);
    let call: Promise<unknown> | undefined;
    assert.doesNotThrow(() => (call = client.call("org.example.hostile.Echo", { value: 1 })));
    await assert.rejects(
      call!,
      (error: unknown) =>
        error instanceof TypeError &&
        /an interceptor answered the call of org\.example\.hostile\.Echo/.test(error.message),
    );
    await serves(raw);
  });
}

for (const what of Object.keys(thrown)) {
  test(`client: an interceptor that throws ${what} rejects the call with it, never throws at once`, async (t) => {
    const value = thrown[what]!();
    const { client } = await interceptedClient(t, [
      clientInterceptor(() => {
        throw value;
      }),
    ]);
    let call: Promise<unknown> | undefined;
    assert.doesNotThrow(() => (call = client.call("org.example.hostile.Echo", { value: 1 })));
    // Boxed and compared by identity only: resolving with it, or assert.rejects, would read its properties, which throw.
    const outcome = await call!.then(
      () => ({ resolved: true }),
      (error: unknown) => ({ error }),
    );
    assert.ok("error" in outcome && outcome.error === value, "the call rejects with what the interceptor threw");
  });
}

test("client: an interceptor that returns a revoked Proxy rejects the call, never throws at once", async (t) => {
  const { client } = await interceptedClient(t, [clientInterceptor(revokedProxy)]);
  let call: Promise<unknown> | undefined;
  assert.doesNotThrow(() => (call = client.call("org.example.hostile.Echo", { value: 1 })));
  await assert.rejects(call!, TypeError);
});

test("client: a stream whose interceptor returns junk fails its iteration with a TypeError", async (t) => {
  const { client } = await interceptedClient(t, [clientInterceptor(() => undefined)]);
  await assert.rejects(async () => {
    for await (const _ of client.more("org.example.hostile.Echo", { value: 1 })) assert.fail("no reply expected");
  }, TypeError);
});

/** A one-method descriptor of the hostile service's Echo, written out, for a typed client. */
const echoDescriptor = {
  name: "org.example.hostile",
  description,
  methods: {
    Echo: {
      name: "Echo",
      more: undefined,
      upgrade: undefined,
      acceptCall: (p: object) => ({ ok: true, value: p }),
      acceptReply: (r: object) => ({ ok: true, value: r }),
    },
  },
  errors: [],
  acceptError: (_name: string, parameters: object) => ({ ok: true, value: parameters }),
} as unknown as AnyInterfaceDescriptor;

test("client: a typed client passes on a revoked Proxy an interceptor threw, without reading it", async (t) => {
  const value = revokedProxy();
  const { raw } = await interceptedClient(t, []);
  const client = createClient(echoDescriptor, raw, {
    interceptors: [
      clientInterceptor(() => {
        throw value;
      }),
    ],
  });
  const outcome = await (client["Echo"] as (p: object) => Promise<unknown>)({ value: 1 }).then(
    () => ({ resolved: true }),
    (error: unknown) => ({ error }),
  );
  assert.ok("error" in outcome && outcome.error === value, "the call rejects with what the interceptor threw");
});

const timedOut = (ms: number) => (error: unknown) =>
  error instanceof CallAbortedError && error.message === `no reply within ${ms} ms`;

test("client: an interceptor that never calls next cannot hold a call past its timeout", async (t) => {
  const { client } = await interceptedClient(t, [clientInterceptor(() => new Promise(() => {}))]);
  await assert.rejects(client.call("org.example.hostile.Echo", { value: 1 }, { timeout: 100 }), timedOut(100));
});

test("client: an interceptor that never calls next cannot hold a call past its signal", async (t) => {
  const { client } = await interceptedClient(t, [clientInterceptor(() => new Promise(() => {}))]);
  const controller = new AbortController();
  const call = client.call("org.example.hostile.Echo", { value: 1 }, { signal: controller.signal });
  setImmediate(() => controller.abort());
  await assert.rejects(call, CallAbortedError);
});

test("client: an interceptor that waits before calling next counts against the call's timeout", async (t) => {
  // The interceptor calls next only once the call has timed out.
  let timedOutAlready = (): void => {};
  const gate = new Promise<void>((resolve) => (timedOutAlready = resolve));
  const { client, raw } = await interceptedClient(t, [
    clientInterceptor(async (next, call) => {
      await gate;
      return next(call);
    }),
  ]);
  await assert.rejects(client.call("org.example.hostile.Echo", { value: 1 }, { timeout: 100 }), timedOut(100));
  timedOutAlready();
  // Given up before it was sent: the connection has no call waiting, and serves on.
  await serves(raw);
});

test("client: deadline() bounds the interceptors inside it, not only the connection", async (t) => {
  const { client } = await interceptedClient(t, [deadline(100), clientInterceptor(() => new Promise(() => {}))]);
  await assert.rejects(client.call("org.example.hostile.Echo", { value: 1 }), timedOut(100));
});

test("client: an interceptor that calls next twice gets the call answered, and the connection serves on", async (t) => {
  const { client, raw } = await interceptedClient(t, [
    clientInterceptor(async (next, call) => {
      await next(call);
      return next(call);
    }),
  ]);
  assert.deepEqual(await client.call("org.example.hostile.Echo", { value: 1 }), { value: 1 });
  await serves(raw);
});
