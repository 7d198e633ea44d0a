import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { parseInterface, type MethodDeclaration, type StructType, type TypeDeclaration } from "../../src/idl/index.js";

function parseClean(text: string) {
  const result = parseInterface(text);
  assert.deepEqual(
    result.diagnostics.map((d) => d.message),
    [],
  );
  assert.ok(result.definition);
  return result.definition;
}

describe("the AST", () => {
  test("documentation attaches to the interface, members, fields and enum values", () => {
    const definition = parseClean(
      "# Interface doc\n# second line\ninterface org.example.doc\n\n# Type doc\ntype T (\n  # field doc\n  a: int,\n  mode: (\n    # value doc\n    on,\n    off\n  )\n)\n\n# Method doc\nmethod M() -> ()\n# Error doc\nerror E ()\n",
    );
    assert.equal(definition.doc, "Interface doc\nsecond line");
    const [type, method, error] = definition.members;
    assert.equal(type?.doc, "Type doc");
    const struct = (type as TypeDeclaration).definition as StructType;
    assert.equal(struct.fields[0]?.doc, "field doc");
    const modes = struct.fields[1]?.type;
    assert.equal(modes?.kind, "enum");
    assert.equal(modes.kind === "enum" ? modes.values[0]?.doc : undefined, "value doc");
    assert.equal(method?.doc, "Method doc");
    assert.equal(error?.doc, "Error doc");
  });

  test("a comment separated by a blank line is not documentation but is kept", () => {
    const definition = parseClean("interface a.b\n\n# section\n\nmethod M() -> ()\n");
    const [method] = definition.members;
    assert.equal(method?.doc, undefined);
    assert.deepEqual(
      method?.trivia.detached.map((c) => c.text),
      [" section"],
    );
  });

  test("systemd mode annotations become method flags", () => {
    const definition = parseClean(
      "interface a.b\n# Streams.\n# [Requires 'more' flag]\nmethod A() -> ()\n# [Supports 'more' flag]\nmethod B() -> ()\n# [Requires 'upgrade' flag]\nmethod C() -> ()\nmethod D() -> ()\n",
    );
    const modes = definition.members.map((m) => (m as MethodDeclaration).modes);
    assert.deepEqual(modes, [
      { more: "requires", upgrade: undefined },
      { more: "supports", upgrade: undefined },
      { more: undefined, upgrade: "requires" },
      { more: undefined, upgrade: undefined },
    ]);
  });

  test("every type form", () => {
    const definition = parseClean(
      "interface a.b\ntype T (b: bool, i: int, f: float, s: string, o: object, x: any, e: (one, two), st: (a: int), arr: []string, m: [string]int, set: [string](), n: ?string, nas: ?[](a: int), r: T, aa: [][]int)\n",
    );
    const struct = (definition.members[0] as TypeDeclaration).definition as StructType;
    const kinds = struct.fields.map((f) => [f.name, f.type.kind]);
    assert.deepEqual(kinds, [
      ["b", "primitive"],
      ["i", "primitive"],
      ["f", "primitive"],
      ["s", "primitive"],
      ["o", "primitive"],
      ["x", "primitive"],
      ["e", "enum"],
      ["st", "struct"],
      ["arr", "array"],
      ["m", "map"],
      ["set", "map"],
      ["n", "nullable"],
      ["nas", "nullable"],
      ["r", "reference"],
      ["aa", "array"],
    ]);
  });

  test("keywords may be field names", () => {
    const definition = parseClean(
      "interface a.b\nmethod M(interface: string, type: int, method: bool, error: float) -> ()\n",
    );
    const input = (definition.members[0] as MethodDeclaration).input as StructType;
    assert.deepEqual(
      input.fields.map((f) => f.name),
      ["interface", "type", "method", "error"],
    );
  });

  test("positions are 1-based lines and columns, CRLF and Unicode line ends included", () => {
    for (const newline of ["\n", "\r\n", "\r", "\u2028"]) {
      const result = parseInterface(`interface a.b${newline}${newline}method M() -> (x: Nope)${newline}`);
      assert.equal(result.diagnostics.length, 1);
      assert.deepEqual(result.diagnostics[0]!.range.start, {
        line: 3,
        column: 19,
        offset: 13 + 2 * newline.length + 18,
      });
    }
  });

  test("Unicode spaces and whitespace before a comma are accepted", () => {
    parseClean("interface\u00a0a.b\nmethod\u2003M(a: int , b: int\u3000) -> ()\n");
  });

  test("the exact source text is kept for GetInterfaceDescription", () => {
    const text = "# doc\ninterface a.b\n\n\nmethod M() -> ()   \n";
    assert.equal(parseClean(text).source, text);
  });

  test("all problems are reported in one run, in source order", () => {
    const result = parseInterface(
      "interface a.b\nmethod m() -> ()\ntype T (a: Missing)\nmethod X() -> (x: int, x: int)\n",
    );
    assert.deepEqual(
      result.diagnostics.map((d) => d.code),
      ["invalid-member-name", "undefined-type", "duplicate-field"],
    );
  });

  test("a syntax error in one member does not hide the next member's problems", () => {
    const result = parseInterface("interface a.b\nmethod A(x: ) -> ()\nmethod B() -> (y: Nope)\n");
    assert.deepEqual(
      result.diagnostics.map((d) => d.code),
      ["syntax-error", "undefined-type"],
    );
  });
});
