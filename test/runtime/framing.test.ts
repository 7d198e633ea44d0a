import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { buildCall, checkCall, checkReply, MessageReader } from "@varlink-ts/runtime/wire";
import { ProtocolError } from "@varlink-ts/runtime";

function readAll(reader: MessageReader, chunks: Buffer[]): unknown[] {
  const out: unknown[] = [];
  for (const chunk of chunks) reader.push(chunk, (m) => out.push(m));
  return out;
}

describe("NUL framing", () => {
  const stream = Buffer.from('{"method":"a.b.C"}\0{"method":"a.b.D","parameters":{"x":"é"}}\0');
  const expected = [{ method: "a.b.C" }, { method: "a.b.D", parameters: { x: "é" } }];

  test("coalesced messages in one read", () => {
    assert.deepEqual(readAll(new MessageReader(), [stream]), expected);
  });

  test("every split point, including inside a multi-byte character", () => {
    for (let cut = 0; cut <= stream.length; cut++) {
      assert.deepEqual(
        readAll(new MessageReader(), [stream.subarray(0, cut), stream.subarray(cut)]),
        expected,
        `cut at ${cut}`,
      );
    }
  });

  test("one byte at a time", () => {
    const bytes = [...stream].map((b) => Buffer.from([b]));
    assert.deepEqual(readAll(new MessageReader(), bytes), expected);
  });

  test("a message over the limit fails before its end arrives, holding no more than the limit", () => {
    const reader = new MessageReader(1024);
    const chunk = Buffer.alloc(300, 0x20);
    assert.throws(() => {
      for (let i = 0; i < 10; i++) {
        reader.push(chunk, () => {});
        assert.ok(reader.buffered <= 1024);
      }
    }, /exceeds the limit of 1024 bytes/);
  });

  test("a complete message over the limit in one read fails too", () => {
    assert.throws(
      () => new MessageReader(10).push(Buffer.from('{"method":"a.b.LongName"}\0'), () => {}),
      ProtocolError,
    );
  });

  test("invalid JSON is a protocol error", () => {
    assert.throws(() => new MessageReader().push(Buffer.from("{nope\0"), () => {}), /invalid JSON/);
  });

  test("bytes after the last message are kept for an upgraded protocol", () => {
    const reader = new MessageReader();
    const out = readAll(reader, [Buffer.from('{"parameters":{}}\0raw '), Buffer.from("bytes")]);
    assert.deepEqual(out, [{ parameters: {} }]);
    assert.equal(reader.takeRemainder().toString(), "raw bytes");
  });
});

describe("message rules", () => {
  test("calls: what is accepted", () => {
    for (const call of [
      { method: "a.b.C" },
      { method: "a.b.C", parameters: null },
      { method: "a.b.C", parameters: {} },
      { method: "a.b.C", more: true },
      { method: "a.b.C", oneway: false, more: true },
      { method: "a.b.C", "org.example.trace": { id: 1 } },
    ]) {
      const checked = checkCall(call);
      assert.ok(checked.ok, JSON.stringify(call));
      assert.deepEqual(checked.value.parameters, (call as { parameters?: object }).parameters ?? {});
    }
  });

  test("calls: what closes the connection", () => {
    const cases: Array<[unknown, RegExp]> = [
      [[], /JSON object/],
      ["text", /JSON object/],
      [null, /JSON object/],
      [{ parameters: {} }, /'method'/],
      [{ method: 5 }, /'method'/],
      [{ method: "a.b.C", parameters: [] }, /'parameters'/],
      [{ method: "a.b.C", more: "yes" }, /'more' must be a boolean/],
      [{ method: "a.b.C", more: true, oneway: true }, /at most one/],
      [{ method: "a.b.C", extra: 1 }, /unknown header key 'extra'/],
    ];
    for (const [call, reason] of cases) {
      const checked = checkCall(call);
      assert.equal(checked.ok, false, JSON.stringify(call));
      assert.match(checked.ok ? "" : checked.reason, reason);
    }
  });

  test("replies: unknown unprefixed keys and wrong types are refused", () => {
    assert.ok(checkReply({ parameters: { a: 1 }, continues: true }).ok);
    assert.ok(checkReply({ error: "a.b.E", "com.example.x": 1 }).ok);
    assert.equal(checkReply({ parameters: {}, surprise: 1 }).ok, false);
    assert.equal(checkReply({ continues: "yes" }).ok, false);
    assert.equal(checkReply({ error: 5 }).ok, false);
  });

  test("senders leave out empty parameters and set one flag", () => {
    assert.deepEqual(buildCall("a.b.C", {}), { method: "a.b.C" });
    assert.deepEqual(buildCall("a.b.C", undefined, "more"), { method: "a.b.C", more: true });
    assert.deepEqual(buildCall("a.b.C", { x: 1 }, "oneway"), { method: "a.b.C", parameters: { x: 1 }, oneway: true });
  });
});
