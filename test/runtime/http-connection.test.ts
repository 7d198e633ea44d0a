import assert from "node:assert/strict";
import http, { type IncomingMessage, type ServerResponse } from "node:http";
import net from "node:net";
import { describe, test, type TestContext } from "node:test";
import { ConnectionError, HttpConnection, MethodNotImplemented, VarlinkError } from "@varlink-ts/runtime";
import { eventually } from "../helpers/runtime.js";

// HttpConnection against a stand-in bridge that answers as UAPI.20 says (or as a broken one
// would): the routes it asks for, how it reads replies, errors and streams, and that it keeps
// its HTTP connection alive.

interface Seen {
  method: string | undefined;
  url: string | undefined;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** A bridge whose every answer is `answer`; it records what it was asked and counts connections. */
async function standIn(
  t: TestContext,
  answer: (request: Seen, response: ServerResponse) => void,
): Promise<{ url: string; seen: Seen[]; connections: () => number }> {
  const seen: Seen[] = [];
  let connections = 0;
  const server = http.createServer((request: IncomingMessage, response) => {
    let body = "";
    request.setEncoding("utf8").on("data", (chunk: string) => (body += chunk));
    request.on("end", () => {
      const entry = { method: request.method, url: request.url, headers: request.headers, body };
      seen.push(entry);
      answer(entry, response);
    });
  });
  server.on("connection", () => connections++);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  t.after(() => {
    server.closeAllConnections();
    server.close();
  });
  const { port } = server.address() as { port: number };
  return { url: `http://127.0.0.1:${port}/base`, seen, connections: () => connections };
}

const json = (response: ServerResponse, status: number, body: unknown): void => {
  response.writeHead(status, { "Content-Type": "application/json" }).end(JSON.stringify(body));
};

describe("HttpConnection", () => {
  test("posts to /call/SERVICE/METHOD when a service is named", async (t) => {
    const bridge = await standIn(t, (_, response) => json(response, 200, { ok: true }));
    const connection = new HttpConnection(bridge.url, { service: "userdb" });
    t.after(() => connection.close());
    assert.deepEqual(await connection.call("io.systemd.UserDatabase.GetUserRecord", { uid: 0 }), { ok: true });
    assert.equal(bridge.seen[0]!.url, "/base/call/userdb/io.systemd.UserDatabase.GetUserRecord");
    assert.equal(bridge.seen[0]!.body, '{"uid":0}');
    assert.equal(bridge.seen[0]!.headers["content-type"], "application/json");
  });

  test("posts to /call/METHOD when no service is named", async (t) => {
    const bridge = await standIn(t, (_, response) => json(response, 200, {}));
    const connection = new HttpConnection(bridge.url);
    t.after(() => connection.close());
    await connection.call("org.example.test.Echo");
    assert.equal(bridge.seen[0]!.url, "/base/call/org.example.test.Echo");
  });

  test("reuses one HTTP connection for calls one after another", async (t) => {
    const bridge = await standIn(t, (_, response) => json(response, 200, {}));
    const connection = new HttpConnection(bridge.url);
    t.after(() => connection.close());
    for (let i = 0; i < 5; i++) await connection.call("org.example.test.Echo");
    assert.equal(bridge.connections(), 1);
  });

  test("an error reply is raised as its class, with its parameters", async (t) => {
    const bridge = await standIn(t, (_, response) =>
      json(response, 501, { error: "org.varlink.service.MethodNotImplemented", parameters: { method: "a.b.C" } }),
    );
    const connection = new HttpConnection(bridge.url);
    t.after(() => connection.close());
    await assert.rejects(
      connection.call("a.b.C"),
      (e) => e instanceof MethodNotImplemented && e.parameters.method === "a.b.C",
    );
  });

  test('a {"message"} answer is a ConnectionError that says the status and the message', async (t) => {
    const bridge = await standIn(t, (_, response) =>
      json(response, 502, { message: "cannot connect to unix:/x: no such socket" }),
    );
    const connection = new HttpConnection(bridge.url);
    t.after(() => connection.close());
    await assert.rejects(
      connection.call("a.b.C"),
      (e) =>
        e instanceof ConnectionError &&
        e.message === "the bridge answered HTTP 502: cannot connect to unix:/x: no such socket",
    );
  });

  test("an answer that is not JSON is a ConnectionError with its start", async (t) => {
    const bridge = await standIn(t, (_, response) => response.writeHead(503).end("down for maintenance"));
    const connection = new HttpConnection(bridge.url);
    t.after(() => connection.close());
    await assert.rejects(
      connection.call("a.b.C"),
      (e) => e instanceof ConnectionError && /HTTP 503: down for maintenance/.test(e.message),
    );
  });

  test("a streamed error record ends the stream with the error", async (t) => {
    const bridge = await standIn(t, (_, response) =>
      response
        .writeHead(200, { "Content-Type": "application/json-seq" })
        .end('\u001e{"i":0}\n\u001e{"error":"a.b.Failed","parameters":{"why":"x"}}\n'),
    );
    const connection = new HttpConnection(bridge.url);
    t.after(() => connection.close());
    const received: unknown[] = [];
    await assert.rejects(
      (async () => {
        for await (const reply of connection.more("a.b.C")) received.push(reply);
      })(),
      (e) => e instanceof VarlinkError && e.errorName === "a.b.Failed",
    );
    assert.deepEqual(received, [{ i: 0 }]);
    assert.equal(bridge.seen[0]!.headers["accept"], "application/json-seq");
  });

  test('a stream that the bridge ends with {"error": MESSAGE} is a ConnectionError', async (t) => {
    const bridge = await standIn(t, (_, response) =>
      response
        .writeHead(200, { "Content-Type": "application/json-seq" })
        .end('\u001e{"i":0}\n\u001e{"error":"the service closed the connection"}\n'),
    );
    const connection = new HttpConnection(bridge.url);
    t.after(() => connection.close());
    const iterator = connection.more("a.b.C");
    assert.deepEqual((await iterator.next()).value, { i: 0 });
    await assert.rejects(
      iterator.next(),
      (e) => e instanceof ConnectionError && /the service closed the connection/.test(e.message),
    );
  });

  test("a request on a kept-alive socket the server closed is sent again on a new one", async (t) => {
    // Answers the first request on each connection, and drops the connection on the second.
    let connections = 0;
    const server = net.createServer((socket) => {
      connections++;
      let requests = 0;
      socket.on("data", () => {
        if (++requests === 1)
          socket.write(
            "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 2\r\nConnection: keep-alive\r\n\r\n{}",
          );
        else socket.resetAndDestroy();
      });
      socket.on("error", () => {});
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    t.after(() => server.close());
    const connection = new HttpConnection(`http://127.0.0.1:${(server.address() as { port: number }).port}`);
    t.after(() => connection.close());
    await connection.call("a.b.C");
    assert.deepEqual(await connection.call("a.b.C"), {});
    assert.equal(connections, 2);
  });

  test("a request on a new socket that the server drops is not sent again", async (t) => {
    let connections = 0;
    const server = net.createServer((socket) => {
      connections++;
      socket.on("data", () => socket.resetAndDestroy());
      socket.on("error", () => {});
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    t.after(() => server.close());
    const connection = new HttpConnection(`http://127.0.0.1:${(server.address() as { port: number }).port}`);
    t.after(() => connection.close());
    await assert.rejects(
      connection.call("a.b.C"),
      (e) => e instanceof ConnectionError && /closed before the reply/.test(e.message),
    );
    assert.equal(connections, 1);
  });

  test("a bridge that cannot be reached is a ConnectionError naming the URL", async () => {
    const connection = new HttpConnection("http://127.0.0.1:1");
    await assert.rejects(
      connection.call("a.b.C"),
      (e) => e instanceof ConnectionError && e.message.startsWith("http://127.0.0.1:1/call/a.b.C: "),
    );
  });

  test("close() ends the kept-alive connection", async (t) => {
    let closed = false;
    const bridge = await standIn(t, (_, response) => {
      response.socket?.once("close", () => (closed = true));
      json(response, 200, {});
    });
    const connection = new HttpConnection(bridge.url);
    await connection.call("a.b.C");
    await connection.close();
    await eventually(() => closed, "the bridge sees its connection close");
  });
});
