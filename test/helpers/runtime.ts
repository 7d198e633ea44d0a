import { mkdtempSync } from "node:fs";
import net from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import {
  MethodNotImplemented,
  PermissionDenied,
  VarlinkError,
  VarlinkServer,
  type ServerInterceptor,
  type ServerOptions,
  type ServiceInterface,
} from "@varlink-ts/runtime";

/** A fresh unix socket address in a private temporary folder. */
export function socketAddress(name = "test.sock"): { address: string; path: string } {
  const file = path.join(mkdtempSync(path.join(tmpdir(), "varlink-ts-")), name);
  return { address: `unix:${file}`, path: file };
}

export interface TestServer {
  server: VarlinkServer;
  address: string;
  path: string;
  logged: string[];
}

/** A server on a fresh unix socket whose log goes to `logged` instead of stderr. */
export async function startServer(interfaces: ServiceInterface[], options: ServerOptions = {}): Promise<TestServer> {
  const logged: string[] = [];
  const server = new VarlinkServer({ logger: (message) => logged.push(message), ...options });
  for (const implementation of interfaces) server.addInterface(implementation);
  const { address, path } = socketAddress();
  await server.listen(address);
  return { server, address, path, logged };
}

/** Polls `condition` until it holds, failing after `timeout` milliseconds. */
export async function eventually(condition: () => boolean, what: string, timeout = 5000): Promise<void> {
  const deadline = Date.now() + timeout;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** A raw socket for sending arbitrary bytes and reading NUL-separated replies. */
export class RawConnection {
  readonly socket: net.Socket;
  private buffer = Buffer.alloc(0);
  readonly messages: unknown[] = [];
  closed = false;

  private constructor(socket: net.Socket) {
    this.socket = socket;
    socket.on("data", (chunk: Buffer) => {
      this.buffer = Buffer.concat([this.buffer, chunk]);
      for (let i = this.buffer.indexOf(0); i >= 0; i = this.buffer.indexOf(0)) {
        this.messages.push(JSON.parse(this.buffer.subarray(0, i).toString("utf8")));
        this.buffer = this.buffer.subarray(i + 1);
      }
    });
    socket.on("close", () => (this.closed = true));
    socket.on("error", () => (this.closed = true));
  }

  static open(socketPath: string): Promise<RawConnection> {
    return new Promise((resolve, reject) => {
      const socket = net.createConnection({ path: socketPath }, () => resolve(new RawConnection(socket)));
      socket.once("error", reject);
    });
  }

  send(data: string | Buffer): void {
    this.socket.write(data);
  }

  async waitClosed(timeout = 5000): Promise<void> {
    await eventually(() => this.closed, "the server closes the connection", timeout);
  }
}

export const testInterfaceText = `# An interface for runtime tests.
interface org.example.test

method Echo(value: any) -> (value: any)
method Slow(ms: int) -> ()
method Count(n: int) -> (i: int)
# [Requires 'more' flag]
method Forever() -> (i: int)
method Fail(kind: string) -> ()
method Big(bytes: int) -> (data: string)
method Notify(text: string) -> ()
# [Requires 'upgrade' flag]
method Shout() -> ()
method Unimplemented() -> ()
error Custom (reason: string)
`;

/** Counters the tests read to prove handlers ran, finished, or were stopped. */
export interface TestState {
  started: number;
  running: number;
  notified: string[];
}

/** The test interface's implementation, built on the runtime alone. */
export function testService(state: TestState = { started: 0, running: 0, notified: [] }): ServiceInterface {
  const track = async <T>(work: () => Promise<T>): Promise<T> => {
    state.started++;
    state.running++;
    try {
      return await work();
    } finally {
      state.running--;
    }
  };
  return {
    name: "org.example.test",
    description: testInterfaceText,
    methods: {
      Echo: (p: { value: unknown }) => ({ value: p.value }),
      Slow: (p: { ms: number }, context) =>
        track(
          () =>
            new Promise<object>((resolve, reject) => {
              const onAbort = (): void => {
                clearTimeout(timer);
                reject(new Error("aborted"));
              };
              const timer = setTimeout(() => {
                context.signal.removeEventListener("abort", onAbort);
                resolve({});
              }, p.ms);
              context.signal.addEventListener("abort", onAbort);
            }),
        ),
      Count: async function* (p: { n: number }) {
        for (let i = 0; i < Math.abs(p.n); i++) yield { i };
        // A negative count fails after its replies, for tests of errors that end a stream.
        if (p.n < 0) throw new VarlinkError("org.example.test.Custom", { reason: "negative count" });
      },
      Forever: {
        more: "requires",
        handler: async function* (_p: object, context) {
          state.started++;
          state.running++;
          try {
            for (let i = 0; !context.signal.aborted; i++) {
              yield { i };
              await new Promise((resolve) => setTimeout(resolve, 1));
            }
          } finally {
            state.running--;
          }
        },
      },
      Fail: (p: { kind: string }) => {
        if (p.kind === "custom") throw new (class extends Error {})("boom");
        if (p.kind === "denied") throw new PermissionDenied();
        if (p.kind === "declared") throw new VarlinkError("org.example.test.Custom", { reason: "declared" });
        throw new Error(`unexpected ${p.kind}`);
      },
      Big: {
        parameters: (p) =>
          Number.isInteger(p["bytes"])
            ? { ok: true, value: p }
            : {
                ok: false,
                issues: [
                  {
                    path: "bytes",
                    segments: ["bytes"],
                    expected: "int",
                    got: String(p["bytes"]),
                    message: "bytes: expected int",
                  },
                ],
              },
        handler: (p: { bytes: number }) => {
          state.started++;
          return { data: "x".repeat(p.bytes) };
        },
      },
      Notify: (p: { text: string }) => {
        state.notified.push(p.text);
      },
      Shout: {
        upgrade: "requires",
        handler: (_p: object, context) => {
          const stream = context.upgradeConnection({});
          stream.on("data", (chunk: Buffer) => stream.write(chunk.toString().toUpperCase()));
          stream.resume();
        },
      },
    },
  };
}

/** Answers org.varlink.service with MethodNotImplemented, as systemd-userdbd in systemd 252 does. */
export const withoutIntrospection: ServerInterceptor = (next) => (call) => {
  if (call.method.startsWith("org.varlink.service.")) throw new MethodNotImplemented({ method: call.method });
  return next(call);
};
