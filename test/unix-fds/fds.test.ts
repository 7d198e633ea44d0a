import assert from "node:assert/strict";
import { closeSync } from "node:fs";
import { describe, test, type TestContext } from "node:test";
import {
  ConnectionError,
  FileDescriptorsNotSupported,
  fdsOf,
  SocketConnection,
  VarlinkError,
  VarlinkServer,
  withFds,
} from "@varlink-ts/runtime";
import { dup, socketPair, unixFds } from "@varlink-ts/unix-fds";
import { fdsService, fileWith, noFdLeak, openFdCount, readAll } from "../helpers/fds.js";
import { socketAddress } from "../helpers/runtime.js";

// File descriptors between our client and our server, through @varlink-ts/unix-fds: over a unix
// socket and over a socketpair, every fd closed exactly once (the process's count of open fds
// returns to where it was after each test).

type Link = { client: SocketConnection; server: VarlinkServer; logged: string[] };

/**
 * One call with an fd both ways first: Node opens some fds of its own on first use (libuv's
 * io_uring, say), which a count taken before would see as leaks.
 */
async function warmedUp(link: Link): Promise<Link> {
  const fd = fileWith("warm");
  await link.client.call("org.example.fds.Read", { fd: 0 }, { fds: [fd] });
  closeSync(fd);
  const reply = await link.client.call("org.example.fds.Open", { text: "warm" });
  closeSync(fdsOf(reply)!.take(0));
  return link;
}

async function overSocket(t: TestContext): Promise<Link> {
  const logged: string[] = [];
  const server = new VarlinkServer({ fdPassing: unixFds, logger: (message) => logged.push(message) });
  server.addInterface(fdsService());
  const { address } = socketAddress("fds.sock");
  await server.listen(address);
  const client = await SocketConnection.connect(address, { fdPassing: unixFds });
  t.after(async () => {
    await client.close();
    await server.close({ timeout: 0 });
  });
  return warmedUp({ client, server, logged });
}

async function overSocketPair(t: TestContext): Promise<Link> {
  const logged: string[] = [];
  const server = new VarlinkServer({ logger: (message) => logged.push(message) });
  server.addInterface(fdsService());
  const [ours, theirs] = socketPair();
  server.serve(theirs);
  const client = SocketConnection.fromStream(ours);
  t.after(async () => {
    await client.close();
    await server.close({ timeout: 0 });
  });
  return warmedUp({ client, server, logged });
}

for (const [name, open] of [
  ["a unix socket", overSocket],
  ["a socketpair", overSocketPair],
] as const) {
  describe(`fd passing over ${name}`, () => {
    test("a call's fd reaches the handler, which reads the file behind it", async (t) => {
      const { client } = await open(t);
      const before = openFdCount();
      const fd = fileWith("hello through an fd");
      assert.deepEqual(await client.call("org.example.fds.Read", { fd: 0 }, { fds: [fd] }), {
        text: "hello through an fd",
      });
      closeSync(fd);
      await noFdLeak(before);
    });

    test("several fds in one call, in order; the handler's untaken ones are closed after it", async (t) => {
      const { client } = await open(t);
      const fds = ["one", "two", "three"].map(fileWith);
      t.after(() => {
        for (const fd of fds) closeSync(fd);
      });
      const before = openFdCount();
      assert.deepEqual(await client.call("org.example.fds.Count", {}, { fds }), {
        count: 3,
        texts: ["one", "two", "three"],
      });
      await noFdLeak(before);
    });

    test("a reply's fd reaches the caller, who takes it", async (t) => {
      const { client } = await open(t);
      const before = openFdCount();
      const reply = await client.call("org.example.fds.Open", { text: "from the service" });
      const fd = fdsOf(reply)!.take(0);
      assert.equal(readAll(fd), "from the service");
      closeSync(fd);
      await noFdLeak(before);
    });

    test("a reply's fd the caller does not take is closed for it", async (t) => {
      const { client } = await open(t);
      const before = openFdCount();
      const reply = await client.call("org.example.fds.Open", { text: "ignored" });
      assert.equal(fdsOf(reply)!.length, 1);
      await noFdLeak(before);
    });

    test("pipelined calls with and without fds, interleaved: each call gets its own", async (t) => {
      const { client } = await open(t);
      const fds = Array.from({ length: 6 }, (_, i) => fileWith(`file ${i}`));
      t.after(() => {
        for (const fd of fds) closeSync(fd);
      });
      const before = openFdCount();
      const calls = fds.map((fd, i) =>
        i % 2 === 0
          ? client.call("org.example.fds.Count", {}, { fds: [fd, fds[(i + 1) % fds.length]!] })
          : client.call("org.example.fds.Count", {}),
      );
      const replies = await Promise.all(calls);
      assert.deepEqual(
        replies,
        fds.map((_, i) =>
          i % 2 === 0 ? { count: 2, texts: [`file ${i}`, `file ${(i + 1) % fds.length}`] } : { count: 0, texts: [] },
        ),
      );
      await noFdLeak(before);
    });

    test("a call with fds queued behind a large write goes in a sendmsg of its own: the plain call after it gets none", async (t) => {
      const { client } = await open(t);
      const fd = fileWith("the file");
      t.after(() => closeSync(fd));
      // Over 64 KiB written in one turn: the calls after it reach the socket together (_writev).
      const [echo, read, count] = await Promise.all([
        client.call("org.example.fds.Echo", { text: "x".repeat(70_000) }),
        client.call("org.example.fds.Read", { fd: 0 }, { fds: [fd] }),
        client.call("org.example.fds.Count", {}),
      ]);
      assert.equal(String(echo["text"]).length, 70_000);
      assert.deepEqual(read, { text: "the file" });
      assert.deepEqual(count, { count: 0, texts: [] });
    });

    test("each reply of a stream carries its own fd", async (t) => {
      const { client } = await open(t);
      const before = openFdCount();
      const texts: string[] = [];
      for await (const reply of client.more("org.example.fds.Stream", { n: 4 })) {
        const fd = fdsOf(reply)!.take(0);
        texts.push(readAll(fd));
        closeSync(fd);
      }
      assert.deepEqual(texts, ["reply 0", "reply 1", "reply 2", "reply 3"]);
      await noFdLeak(before);
    });

    test("messages larger than the socket's buffer go whole and in order, any text intact", async (t) => {
      const { client } = await open(t);
      const texts = ["é中😀 ".repeat(300_000), "plain ".repeat(200_000), "ü".repeat(3)];
      const replies = await Promise.all(texts.map((text) => client.call("org.example.fds.Echo", { text })));
      assert.deepEqual(
        replies.map((reply) => reply.text),
        texts,
      );
    });

    test("253 fds in one message, the most the kernel passes", async (t) => {
      const { client } = await open(t);
      const file = fileWith("x");
      t.after(() => closeSync(file));
      const fds = Array.from({ length: 253 }, () => dup(file));
      t.after(() => {
        for (const fd of fds) closeSync(fd);
      });
      const before = openFdCount();
      const reply = await client.call("org.example.fds.Count", {}, { fds });
      assert.equal(reply["count"], 253);
      await noFdLeak(before);
    });

    test("254 fds are refused before anything is sent", async (t) => {
      const { client } = await open(t);
      const file = fileWith("x");
      t.after(() => closeSync(file));
      await assert.rejects(
        client.call("org.example.fds.Count", {}, { fds: Array.from({ length: 254 }, () => file) }),
        /at most 253 file descriptors/,
      );
      assert.deepEqual(
        await client.call("org.example.fds.Count", {}),
        { count: 0, texts: [] },
        "the connection goes on",
      );
    });

    test("a handler that throws while holding fds: the error goes out, the fds are closed", async (t) => {
      const { client } = await open(t);
      const fd = fileWith("held");
      t.after(() => closeSync(fd));
      const before = openFdCount();
      await assert.rejects(
        client.call("org.example.fds.Fail", {}, { fds: [fd, fd] }),
        (error: unknown) => error instanceof VarlinkError && error.errorName === "org.example.fds.Failed",
      );
      await noFdLeak(before);
    });

    test("the handler sees who is calling", async (t) => {
      const { client } = await open(t);
      assert.deepEqual(await client.call("org.example.fds.WhoAmI", {}), {
        uid: process.getuid!(),
        gid: process.getgid!(),
        pid: process.pid,
      });
    });
  });
}

/** The fds service and a client on Node's own sockets: no fd passing on either side. */
async function withoutFdPassing(t: TestContext): Promise<{ client: SocketConnection; logged: string[] }> {
  const logged: string[] = [];
  const server = new VarlinkServer({ logger: (message) => logged.push(message) });
  server.addInterface(fdsService());
  const { address } = socketAddress("plain.sock");
  await server.listen(address);
  const client = await SocketConnection.connect(address);
  t.after(async () => {
    await client.close();
    await server.close({ timeout: 0 });
  });
  return { client, logged };
}

describe("where fds cannot go", () => {
  test("a call with fds on a connection without fd passing fails, saying so", async (t) => {
    const { client } = await withoutFdPassing(t);
    const fd = fileWith("x");
    t.after(() => closeSync(fd));
    await assert.rejects(
      client.call("org.example.fds.Read", { fd: 0 }, { fds: [fd] }),
      (error: unknown) => error instanceof ConnectionError && /cannot pass file descriptors/.test(error.message),
    );
  });

  test("a reply with fds on a connection without fd passing is an error reply; the fds are closed", async (t) => {
    const { client, logged } = await withoutFdPassing(t);
    const before = openFdCount();
    await assert.rejects(
      client.call("org.example.fds.Open", { text: "x" }),
      (error: unknown) => error instanceof FileDescriptorsNotSupported,
    );
    assert.ok(
      logged.some((line) => /replied with file descriptors, which this connection cannot pass/.test(line)),
      logged.join("\n"),
    );
    await noFdLeak(before);
  });

  test("without fd passing, the handler's context.peer is undefined", async (t) => {
    const { client } = await withoutFdPassing(t);
    await assert.rejects(
      client.call("org.example.fds.WhoAmI", {}),
      (error: unknown) => error instanceof VarlinkError && error.errorName === "org.example.fds.Unknown",
    );
  });
});

/** withFds on a plain object: the fds ride along, unseen by JSON. */
test("withFds does not change what is encoded", () => {
  assert.equal(JSON.stringify(withFds({ fd: 0 }, [5])), '{"fd":0}');
});
