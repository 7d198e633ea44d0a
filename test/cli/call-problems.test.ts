import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, test, type TestContext } from "node:test";
import { InvalidParameter, MethodNotImplemented, VarlinkServer, type ServerInterceptor } from "@varlink-ts/runtime";
import { cliProcess } from "../helpers/cli.js";
import { socketAddress, withoutIntrospection } from "../helpers/runtime.js";

// What a failed call says (issue #22, 1 and 2): the field and why, the valid values of an enum,
// the method probably meant, --more where it is needed; before sending when an interface file
// describes the method, and for services that cannot describe themselves, interface files.

const todoText = `interface org.example.todo

method Add(title: string, state: (open, done)) -> (id: int)

# [Requires 'more' flag]
method List() -> (title: string)
`;

interface Todo {
  address: string;
  /** Calls that reached a handler. */
  handled: () => number;
}

/** The todo service; `describes: false` answers GetInfo and GetInterfaceDescription with MethodNotImplemented, as userdbd in systemd 252. */
async function todo(t: TestContext, options: { describes: boolean }): Promise<Todo> {
  let handled = 0;
  const server = new VarlinkServer({
    logger: () => {},
    product: "todo",
    ...(options.describes ? {} : { interceptors: [withoutIntrospection] }),
  });
  server.addInterface({
    name: "org.example.todo",
    description: todoText,
    methods: {
      // Checked by hand, as a service in another language checks: InvalidParameter names the field.
      Add: (p: { title: unknown; state: unknown }) => {
        if (typeof p.title !== "string") throw new InvalidParameter({ parameter: "title" });
        if (p.state !== "open" && p.state !== "done") throw new InvalidParameter({ parameter: "state" });
        return { id: ++handled };
      },
      List: {
        more: "requires",
        handler: async function* () {
          handled++;
          yield { title: "one" };
        },
      },
    },
  });
  const { address } = socketAddress("todo.sock");
  await server.listen(address);
  t.after(() => server.close({ timeout: 0 }));
  return { address, handled: () => handled };
}

function interfaceFile(): string {
  const file = path.join(mkdtempSync(path.join(tmpdir(), "varlink-ts-ifile-")), "org.example.todo.varlink");
  writeFileSync(file, todoText);
  return file;
}

describe("an error reply says what is wrong", () => {
  test("InvalidParameter names the field, what it expected and what it got", async (t) => {
    const { address } = await todo(t, { describes: true });
    const run = await cliProcess(["call", address, "org.example.todo.Add", '{"title": 42, "state": "open"}']);
    assert.equal(run.code, 1);
    assert.equal(
      run.stderr,
      'org.example.todo.Add failed: org.varlink.service.InvalidParameter\n{\n  "parameter": "title"\n}\ntitle: expected string, got 42\n',
    );
  });

  test("a wrong enum value is told the valid ones", async (t) => {
    const { address } = await todo(t, { describes: true });
    const run = await cliProcess(["call", address, "org.example.todo.Add", '{"title": "milk", "state": "closed"}']);
    assert.equal(run.code, 1);
    assert.match(run.stderr, /^state: expected \(open, done\), got "closed"$/m);
  });

  test("MethodNotFound for a near miss offers the method meant", async (t) => {
    const { address } = await todo(t, { describes: true });
    const run = await cliProcess(["call", address, "org.example.todo.Ad", "{}"]);
    assert.equal(run.code, 1);
    assert.match(run.stderr, /^org\.example\.todo has no method Ad: did you mean org\.example\.todo\.Add\?$/m);
  });

  test("InterfaceNotFound for a near miss offers the interface meant", async (t) => {
    const { address } = await todo(t, { describes: true });
    const run = await cliProcess(["call", address, "org.example.todos.Add", "{}"]);
    assert.equal(run.code, 1);
    assert.match(run.stderr, /^the service has no interface org\.example\.todos: did you mean org\.example\.todo\?$/m);
  });

  test("introspect of a method's name (not an interface) offers the interface it belongs to", async (t) => {
    const { address } = await todo(t, { describes: true });
    const run = await cliProcess(["introspect", address, "org.example.todo.Add"]);
    assert.equal(run.code, 1);
    assert.match(
      run.stderr,
      /^org\.example\.todo\.Add names a member of org\.example\.todo, not an interface: did you mean org\.example\.todo\?$/m,
    );
  });

  test("introspect of a near miss offers the interface meant, as call does", async (t) => {
    const { address } = await todo(t, { describes: true });
    const run = await cliProcess(["introspect", address, "org.example.todos"]);
    assert.equal(run.code, 1);
    assert.match(run.stderr, /^the service has no interface org\.example\.todos: did you mean org\.example\.todo\?$/m);
  });

  test("ExpectedMore says to add --more", async (t) => {
    const { address } = await todo(t, { describes: true });
    const run = await cliProcess(["call", address, "org.example.todo.List", "{}"]);
    assert.equal(run.code, 1);
    assert.match(run.stderr, /^the method sends several replies: call it with --more \(or --collect\)$/m);
  });
});

describe("--interface-file, for services that cannot describe themselves", () => {
  test("call checks the parameters by the file before sending: the field is named, nothing is sent", async (t) => {
    const service = await todo(t, { describes: false });
    const run = await cliProcess([
      "call",
      "--interface-file",
      interfaceFile(),
      service.address,
      "org.example.todo.Add",
      '{"title": 42, "state": "open"}',
    ]);
    assert.equal(run.code, 2);
    assert.match(
      run.stderr,
      /^varlink-ts: org\.example\.todo\.Add: the parameters do not fit .*org\.example\.todo\.varlink; nothing was sent:\n {2}title: expected string, got 42\n$/,
    );
    assert.equal(service.handled(), 0);
  });

  test("an unknown field is named as such, with the field probably meant", async (t) => {
    const service = await todo(t, { describes: false });
    const run = await cliProcess([
      "call",
      "--interface-file",
      interfaceFile(),
      service.address,
      "org.example.todo.Add",
      '{"titel": "milk", "title": "milk", "state": "open"}',
    ]);
    assert.equal(run.code, 2);
    assert.match(run.stderr, /^ {2}unknown field 'titel' \(did you mean title\?\)$/m);
  });

  test("call of a method the file does not declare is refused, naming the near miss", async (t) => {
    const service = await todo(t, { describes: false });
    const run = await cliProcess([
      "call",
      "--interface-file",
      interfaceFile(),
      service.address,
      "org.example.todo.Ad",
      "{}",
    ]);
    assert.equal(run.code, 2);
    assert.match(run.stderr, /org\.example\.todo has no method Ad: did you mean org\.example\.todo\.Add\?/);
  });

  test("a valid call goes through", async (t) => {
    const service = await todo(t, { describes: false });
    const run = await cliProcess([
      "call",
      "--interface-file",
      interfaceFile(),
      service.address,
      "org.example.todo.Add",
      '{"title": "milk", "state": "open"}',
      "--json",
      "short",
    ]);
    assert.equal(run.code, 0, run.stderr);
    assert.equal(run.stdout, '{"id":1}\n');
  });

  test("an error reply is explained from the file when the service cannot describe itself", async (t) => {
    const { address } = await todo(t, { describes: false });
    const run = await cliProcess(["call", "--interface-file", interfaceFile(), address, "org.example.todo.List", "{}"]);
    assert.equal(run.code, 1);
    assert.match(run.stderr, /call it with --more/);
  });

  test("introspect and list-methods print what the file describes, asking the service nothing", async (t) => {
    const { address } = await todo(t, { describes: false });
    const file = interfaceFile();
    const described = await cliProcess(["introspect", "--interface-file", file, address]);
    assert.equal(described.code, 0, described.stderr);
    assert.equal(described.stdout, todoText);
    const methods = await cliProcess(["list-methods", "--interface-file", file, address, "org.example.todo"]);
    assert.equal(methods.code, 0, methods.stderr);
    assert.equal(methods.stdout, "org.example.todo.Add\norg.example.todo.List\n");
  });

  test("generate --from --interface needs no GetInfo", async (t) => {
    const refuseGetInfo = await todoWithoutGetInfo(t);
    const cwd = mkdtempSync(path.join(tmpdir(), "varlink-ts-from-"));
    const run = await cliProcess(
      ["generate", "--from", refuseGetInfo, "--interface", "org.example.todo", "--out", "gen"],
      { cwd },
    );
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stderr, /introspected org\.example\.todo$/m);
  });
});

/** A todo service whose GetInfo alone is not implemented. */
async function todoWithoutGetInfo(t: TestContext): Promise<string> {
  const noInfo: ServerInterceptor = (next) => (call) => {
    if (call.method === "org.varlink.service.GetInfo") throw new MethodNotImplemented({ method: call.method });
    return next(call);
  };
  const server = new VarlinkServer({ logger: () => {}, interceptors: [noInfo] });
  server.addInterface({
    name: "org.example.todo",
    description: todoText,
    methods: { Add: () => ({ id: 1 }), List: { more: "requires", handler: async function* () {} } },
  });
  const { address } = socketAddress("todo-no-info.sock");
  await server.listen(address);
  t.after(() => server.close({ timeout: 0 }));
  return address;
}
