import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { test, type TestContext } from "node:test";
import { readInterface } from "@varlink-ts/runtime/model";
import { deriveInterfaces, type DeriveResult } from "../../src/derive/index.js";
import { maxNesting, parseInterface, type Diagnostic } from "../../src/idl/index.js";

// What a careless or hostile TypeScript file can feed `derive`: syntax errors, types nested a
// thousand deep, types varlink cannot say, names that clash, documentation holding line
// breaks, a file of thousands of methods. What must hold: every problem reported in one run,
// in the file read, at its position, and nothing derived from it; or an interface whose text
// our own parser accepts and reads back as derived. Never a crash or a stack overflow.

/** Derives `source`, written to a file of its own; the result and the file's path. */
function derive(t: TestContext, source: string): DeriveResult & { file: string } {
  const dir = mkdtempSync(path.join(tmpdir(), "varlink-ts-derive-hostile-"));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const file = path.join(dir, "api.ts");
  writeFileSync(file, source);
  return { ...deriveInterfaces([file]), file };
}

const errors = (diagnostics: Diagnostic[]): Diagnostic[] => diagnostics.filter((d) => d.severity === "error");

/** The one interface derived, after checking that our parser accepts its text as it is. */
function onlyInterface(result: DeriveResult): string {
  assert.deepEqual(errors(result.diagnostics), []);
  assert.equal(result.interfaces.length, 1);
  const text = result.interfaces[0]!.text;
  assert.deepEqual(errors(parseInterface(text).diagnostics), [], text);
  return text;
}

/** `{ a: … }` around string, `levels` deep. */
const nestedLiteral = (levels: number): string => `${"{ a: ".repeat(levels)}string${" }".repeat(levels)}`;

test("every type varlink cannot say in one method is reported in one run, each at its place", (t) => {
  const method =
    "  When(p: { at: Date; either: string | number; table: Map<string, string> }): { tuple: [string, number] };";
  const result = derive(t, `/** @varlink org.example.bad */\nexport interface Bad {\n${method}\n}\n`);
  assert.deepEqual(
    errors(result.diagnostics).map((d) => [d.range.start.line, d.range.start.column]),
    ["Date", "string | number", "Map", "[string, number]"].map((type) => [3, method.indexOf(type) + 1]),
  );
  assert.deepEqual(result.interfaces, []);
});

test("a method's problems are reported, not an empty interface that was never written", (t) => {
  const result = derive(
    t,
    `/** @varlink org.example.bad */
export interface Bad {
  When(p: { at: Date }): void;
}
`,
  );
  assert.deepEqual(
    result.diagnostics.map((d) => [d.code, path.basename(d.file)]),
    [["derive-unsupported-type", "api.ts"]],
  );
});

test("a TypeScript syntax error is an error at its position, and nothing is derived", (t) => {
  const result = derive(
    t,
    `/** @varlink org.example.syntax */
export interface Syntax {
  R(p: { v: string ): { w: string };
}
`,
  );
  assert.deepEqual(
    result.diagnostics.map((d) => [d.code, d.file, d.range.start.line, d.range.start.column]),
    [["derive-syntax", result.file, 3, 20]],
  );
  assert.deepEqual(result.interfaces, []);
});

for (const [shape, type] of [
  ["object literals", nestedLiteral(1000)],
  ["arrays", `${"Array<".repeat(1000)}string${">".repeat(1000)}`],
  ["nullable arrays", `${"(".repeat(1000)}string${"[] | null)".repeat(1000)}`],
] as const) {
  test(`${shape} nested 1,000 deep are an error in the file, at the place, not a stack overflow`, (t) => {
    const result = derive(
      t,
      `/** @varlink org.example.deep */\nexport interface Deep {\n  Get(p: { v: ${type} }): void;\n}\n`,
    );
    assert.deepEqual(
      result.diagnostics.map((d) => [d.code, d.file, d.range.start.line]),
      [["nesting-too-deep", result.file, 3]],
    );
    assert.deepEqual(result.interfaces, []);
  });
}

test("a chain of 1,000 named types is an error at the type too deep, not a stack overflow", (t) => {
  const chain = Array.from({ length: 1000 }, (_, i) => `export interface T${i} { a: T${i + 1} }`).join("\n");
  const result = derive(
    t,
    `/** @varlink org.example.chain */\nexport interface Chain {\n  Get(p: { v: T0 }): void;\n}\n${chain}\nexport interface T1000 { a: string }\n`,
  );
  assert.deepEqual(
    result.diagnostics.map((d) => [d.code, d.range.start.line]),
    [["nesting-too-deep", 5 + maxNesting - 2]],
  );
});

test("types nested as deep as the parser reads derive, and the text reads back", (t) => {
  const text = onlyInterface(
    derive(
      t,
      `/** @varlink org.example.deep */\nexport interface Deep {\n  Get(p: { v: ${nestedLiteral(maxNesting - 10)} }): void;\n}\n`,
    ),
  );
  assert.equal(readInterface(text).members.length, 1);
});

test("an interface that declares nothing is an error at its declaration", (t) => {
  const result = derive(t, `/** @varlink org.example.empty */\nexport interface Empty {}\n`);
  assert.deepEqual(
    result.diagnostics.map((d) => [d.code, path.basename(d.file), d.range.start.line]),
    [["no-members", "api.ts", 2]],
  );
});

test("a type and a method of one name are an error at the declaration, naming both", (t) => {
  const result = derive(
    t,
    `/** @varlink org.example.clash */
export interface Clash {
  Ping(p: { x: Ping }): void;
}
export interface Ping { a: string }
`,
  );
  assert.deepEqual(
    result.diagnostics.map((d) => [d.code, path.basename(d.file), d.range.start.line]),
    [["duplicate-member", "api.ts", 2]],
  );
  assert.match(result.diagnostics[0]!.message, /'Ping' is already declared as a type/);
});

for (const [name, lineBreak] of [
  ["CR", "\r"],
  ["LS (U+2028)", "\u2028"],
  ["PS (U+2029)", "\u2029"],
] as const) {
  test(`documentation holding ${name} stays in its comment: no member is added`, (t) => {
    const text = onlyInterface(
      derive(
        t,
        `/** @varlink org.example.doc */\nexport interface Doc {\n  /** hello${lineBreak}method Evil() -> () */\n  Ping(p: { a: string }): void;\n}\n`,
      ),
    );
    assert.deepEqual(
      readInterface(text).members.map((m) => m.name),
      ["Ping"],
    );
    assert.deepEqual(
      parseInterface(text).definition!.members.map((m) => m.name),
      ["Ping"],
    );
  });
}

test("a file written with CRLF line ends gives the documentation a file with LF does", (t) => {
  const source = `/** @varlink org.example.crlf */\nexport interface Doc {\n  /**\n   * One.\n   * Two.\n   */\n  Ping(p: { a: string }): void;\n}\n`;
  assert.equal(onlyInterface(derive(t, source.replaceAll("\n", "\r\n"))), onlyInterface(derive(t, source)));
});

test("field names that are JavaScript's own (constructor, toString, __proto__) derive or are refused by name", (t) => {
  const text = onlyInterface(
    derive(
      t,
      `/** @varlink org.example.names */\nexport interface Names {\n  Get(p: { constructor: string; toString: string; valueOf: string; hasOwnProperty: string }): { prototype: string };\n}\n`,
    ),
  );
  const [get] = readInterface(text).members;
  assert.ok(get?.kind === "method");
  assert.deepEqual(
    get.input.fields.map((f) => f.name),
    ["constructor", "toString", "valueOf", "hasOwnProperty"],
  );
  const refused = derive(
    t,
    `/** @varlink org.example.names */\nexport interface Names {\n  Get(p: { __proto__: string }): void;\n}\n`,
  );
  assert.deepEqual(
    refused.diagnostics.map((d) => [d.code, d.range.start.line]),
    [["derive-name", 3]],
  );
});

test("a file of 2,000 methods derives every one, and the text parses", (t) => {
  const methods = Array.from({ length: 2000 }, (_, i) => `  M${i}(p: { value: string }): { value: string };`).join(
    "\n",
  );
  const text = onlyInterface(derive(t, `/** @varlink org.example.many */\nexport interface Many {\n${methods}\n}\n`));
  assert.equal(readInterface(text).members.length, 2000);
});

test("method names varlink does not allow are each an error naming them; a quoted name is the name it quotes", (t) => {
  const result = derive(
    t,
    `/** @varlink org.example.weird */
export interface Weird {
  Ünicode(p: { a: string }): void;
  [Symbol.iterator](p: { a: string }): void;
  M$(p: { a: string }): void;
}
`,
  );
  assert.deepEqual(
    result.diagnostics.map((d) => [d.code, d.range.start.line, d.message.split(" is ")[0]]),
    [
      ["derive-name", 3, "'Ünicode'"],
      ["derive-name", 4, "'[Symbol.iterator]'"],
      ["derive-name", 5, "'M$'"],
    ],
  );
  const text = onlyInterface(
    derive(
      t,
      `/** @varlink org.example.weird */\nexport interface Weird {\n  "Quoted"(p: { "value": string }): void;\n}\n`,
    ),
  );
  assert.deepEqual(
    readInterface(text).members.map((m) => m.name),
    ["Quoted"],
  );
});
