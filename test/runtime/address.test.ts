import assert from "node:assert/strict";
import { test } from "node:test";
import { AddressError, formatAddress, parseAddress } from "@varlink-ts/runtime";

test("unix:, tcp: and exec: addresses", () => {
  assert.deepEqual(parseAddress("unix:/run/x.sock"), { kind: "unix", path: "/run/x.sock", abstract: false });
  assert.deepEqual(parseAddress("unix:@abstract;mode=0600"), { kind: "unix", path: "abstract", abstract: true });
  assert.deepEqual(parseAddress("tcp:127.0.0.1:8080"), { kind: "tcp", host: "127.0.0.1", port: 8080 });
  assert.deepEqual(parseAddress("tcp:[::1]:9"), { kind: "tcp", host: "::1", port: 9 });
  assert.deepEqual(parseAddress("tcp:localhost:1"), { kind: "tcp", host: "localhost", port: 1 });
  assert.deepEqual(parseAddress("exec:/usr/bin/server --flag x"), {
    kind: "exec",
    command: "/usr/bin/server",
    args: ["--flag", "x"],
  });
});

test("plain paths, absolute or starting with ./, as varlinkctl takes them", () => {
  assert.deepEqual(parseAddress("/run/x.sock"), { kind: "path", path: "/run/x.sock" });
  assert.deepEqual(parseAddress("./x.sock"), { kind: "path", path: "./x.sock" });
});

test("ssh-exec: and ssh-unix: (and systemd's older ssh:) addresses", () => {
  assert.deepEqual(parseAddress("ssh-exec:root@host:varlink-ts bridge stdio"), {
    kind: "ssh-exec",
    host: "root@host",
    command: ["varlink-ts", "bridge", "stdio"],
  });
  assert.deepEqual(parseAddress("ssh-unix:host:/run/x.sock"), { kind: "ssh-unix", host: "host", path: "/run/x.sock" });
  assert.deepEqual(parseAddress("ssh:host:/run/x.sock"), { kind: "ssh-unix", host: "host", path: "/run/x.sock" });
});

test("http(s) and ws(s) URLs are bridge addresses", () => {
  for (const text of [
    "http://127.0.0.1:8080",
    "https://h/varlink?service=a",
    "ws://[::1]:1/ws/services/x",
    "wss://h",
  ]) {
    const parsed = parseAddress(text);
    assert.equal(parsed.kind, "bridge", text);
    assert.equal(parsed.kind === "bridge" && parsed.url.href, new URL(text).href);
  }
});

test("formatAddress gives back the text of every kind", () => {
  for (const text of [
    "unix:/a",
    "unix:@b",
    "tcp:[::1]:9",
    "tcp:h:1",
    "exec:/x a",
    "/run/x",
    "./x",
    "ssh-exec:h:a b",
    "ssh-unix:h:/x",
    "http://h:1/",
  ]) {
    assert.equal(formatAddress(parseAddress(text)), text);
  }
});

test("bad addresses say what is wrong", () => {
  for (const [text, why] of [
    ["x.sock", /expected 'unix:'.*or a path starting with '\/' or '\.\/'/],
    ["unix:", /path is empty/],
    ["tcp:host", /HOST:PORT/],
    ["tcp:host:99999", /HOST:PORT/],
    ["exec:", /no program/],
    ["ssh-exec:host", /expected HOST:COMMAND/],
    ["ssh-exec:host:", /expected HOST:COMMAND/],
    ["ssh-unix:host:run/x", /must be absolute/],
    ["ssh-unix:-oProxyCommand=x:/x", /not an ssh host/],
    ["http://user:pw@h", /credentials do not go in the URL/],
    ["ftp://x", /unknown transport 'ftp'/],
  ] as const) {
    assert.throws(
      () => parseAddress(text),
      (e: unknown) => e instanceof AddressError && why.test(e.message),
      text,
    );
  }
});
