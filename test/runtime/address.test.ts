import assert from "node:assert/strict";
import { test } from "node:test";
import { AddressError, formatAddress, parseAddress } from "@varlink-ts/runtime";

test("addresses of every kind", () => {
  assert.deepEqual(parseAddress("unix:/run/x.sock"), { kind: "unix", path: "/run/x.sock", abstract: false });
  assert.deepEqual(parseAddress("unix:@abstract;mode=0600"), { kind: "unix", path: "abstract", abstract: true });
  assert.deepEqual(parseAddress("tcp:127.0.0.1:8080"), { kind: "tcp", host: "127.0.0.1", port: 8080 });
  assert.deepEqual(parseAddress("tcp:[::1]:9"), { kind: "tcp", host: "::1", port: 9 });
  assert.deepEqual(parseAddress("tcp:localhost:1"), { kind: "tcp", host: "localhost", port: 1 });
  assert.deepEqual(parseAddress("exec:/usr/bin/server --flag x"), { kind: "exec", command: "/usr/bin/server", args: ["--flag", "x"] });
  for (const text of ["unix:/a", "unix:@b", "tcp:[::1]:9", "tcp:h:1", "exec:/x a"]) assert.equal(formatAddress(parseAddress(text)), text);
});

test("bad addresses say what is wrong", () => {
  for (const [text, why] of [
    ["/run/x.sock", /expected 'unix:'/],
    ["unix:", /path is empty/],
    ["tcp:host", /HOST:PORT/],
    ["tcp:host:99999", /HOST:PORT/],
    ["exec:", /no program/],
    ["http://x", /unknown transport 'http'/],
  ] as const) {
    assert.throws(() => parseAddress(text), (e: unknown) => e instanceof AddressError && why.test(e.message), text);
  }
});
