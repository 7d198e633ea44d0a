import assert from "node:assert/strict";
import { test } from "node:test";
import { parseInterface, type Diagnostic, type Fix } from "../../src/idl/index.js";

// Fix-its for the mistakes people bring from other IDLs, and for near-miss type names: each is
// reported once (no cascade), and applying its first fix gives a file with no errors.

/** Applies a fix's edits, last first so that earlier offsets stay valid. */
function apply(text: string, fix: Fix): string {
  return [...fix.edits]
    .sort((a, b) => b.range.start.offset - a.range.start.offset)
    .reduce(
      (result, edit) => result.slice(0, edit.range.start.offset) + edit.newText + result.slice(edit.range.end.offset),
      text,
    );
}

function only(text: string): Diagnostic {
  const { diagnostics } = parseInterface(text);
  assert.equal(diagnostics.length, 1, diagnostics.map((d) => `${d.code}: ${d.message}`).join("\n"));
  return diagnostics[0]!;
}

function fixedText(text: string, fixIndex = 0): string {
  const diagnostic = only(text);
  const fix = diagnostic.fixes[fixIndex];
  assert.ok(fix, `${diagnostic.code} has no fix ${fixIndex}`);
  return apply(text, fix);
}

function assertClean(text: string): void {
  assert.deepEqual(
    parseInterface(text).diagnostics.map((d) => d.message),
    [],
  );
}

test("(time string): one missing-colon error, and the fix inserts ':'", () => {
  const text = "interface org.example.a\n\ntype Event (time string, name: string)\n\nmethod M(e: Event) -> ()\n";
  assert.equal(only(text).code, "missing-colon");
  const fixed = fixedText(text);
  assert.match(fixed, /\(time: string, name: string\)/);
  assertClean(fixed);
});

test("a missing colon is found on a field alone on its line too", () => {
  const text = "interface org.example.a\n\nmethod M(\n  id int,\n  name: string\n) -> ()\n";
  assert.equal(only(text).code, "missing-colon");
  assertClean(fixedText(text));
});

test("list<T>: one generic-type error, and the fix writes []T", () => {
  const text = "interface org.example.a\n\nmethod M(names: list<string>) -> ()\n";
  const diagnostic = only(text);
  assert.equal(diagnostic.code, "generic-type");
  assert.match(diagnostic.message, /write '\[\]string'/);
  assertClean(fixedText(text));
});

test("map<K, V> becomes [string]V, and optional<T> becomes ?T", () => {
  const text = "interface org.example.a\n\nmethod M(counts: map<string, int>, owner: optional<string>) -> ()\n";
  const { diagnostics } = parseInterface(text);
  assert.deepEqual(
    diagnostics.map((d) => d.code),
    ["generic-type", "generic-type"],
  );
  const fixed = diagnostics.reduceRight((result, d) => apply(result, d.fixes[0]!), text);
  assert.match(fixed, /counts: \[string\]int, owner: \?string/);
  assertClean(fixed);
});

test("braces around the members: one braces error, and the fix removes both", () => {
  const text = "interface org.example.a {\n  method M() -> ()\n}\n";
  const diagnostic = only(text);
  assert.equal(diagnostic.code, "braces");
  assert.equal(diagnostic.related.length, 1, "the closing brace is named too");
  const fixed = fixedText(text);
  assert.doesNotMatch(fixed, /[{}]/);
  assertClean(fixed);
});

test("a version after the interface name: the fixes remove it, or put the number in the name", () => {
  const text = "interface org.example.a 2.0\n\nmethod M() -> ()\n";
  assert.equal(only(text).code, "interface-version");
  assert.equal(fixedText(text, 0), "interface org.example.a\n\nmethod M() -> ()\n");
  assert.equal(fixedText(text, 1), "interface org.example.a2\n\nmethod M() -> ()\n");
  assertClean(fixedText(text, 1));
});

test("an undefined type that differs only in case is offered the declared one", () => {
  const text = "interface org.example.a\n\ntype Thing (a: int)\n\nmethod M(t: thing) -> ()\n";
  const diagnostic = only(text);
  assert.match(diagnostic.message, /did you mean 'Thing'\?/);
  assertClean(fixedText(text));
});

test("an undefined type one or two letters off a declared or builtin one is offered it", () => {
  for (const [wrong, right] of [
    ["Thng", "Thing"],
    ["String", "string"],
    ["strng", "string"],
  ] as const) {
    const text = `interface org.example.a\n\ntype Thing (a: int)\n\nmethod M(t: ${wrong}) -> ()\n`;
    assert.match(only(text).message, new RegExp(`did you mean '${right}'`), wrong);
    assertClean(fixedText(text));
  }
});

test("an undefined type near nothing gets no fix", () => {
  const diagnostic = only("interface org.example.a\n\nmethod M(t: Gizmo) -> ()\n");
  assert.deepEqual(diagnostic.fixes, []);
});

test("comments are left alone: list<T> in a comment is no error", () => {
  assertClean(
    "interface org.example.a\n\n# Returns a list<string> { of names }, time string\nmethod M() -> (names: []string)\n",
  );
});

test("a missing comma between enum values is not taken for a missing colon", () => {
  const { diagnostics } = parseInterface(
    "interface org.example.a\n\ntype Color (red green)\n\nmethod M(c: Color) -> ()\n",
  );
  assert.deepEqual(
    diagnostics.map((d) => d.code),
    ["missing-comma"],
  );
});
