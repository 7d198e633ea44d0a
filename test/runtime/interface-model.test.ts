import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { test } from "node:test";
import { printInterface, readInterface } from "@varlink-ts/runtime/model";
import { mapType, typeText, type TypeModel } from "@varlink-ts/runtime/model";
import { DiagnosticSink } from "../../src/idl/diagnostics.js";
import { LineMap, parseInterface, toInterfaceModel } from "../../src/idl/index.js";
import { tokenize } from "../../src/idl/lexer.js";
import { corpusFiles, fixturesDir } from "../helpers/paths.js";

// The runtime's model of an interface, read from its text, is the one the IDL front end builds:
// the same types, documentation, modes and comments, for every real interface we have. Printed
// (what `varlink-ts fmt` writes) and read again, it is the same model.

const files = [
  ...corpusFiles("valid").map((f) => f.path),
  ...readdirSync(path.join(fixturesDir, "interfaces")).map((f) => path.join(fixturesDir, "interfaces", f)),
];

for (const file of files) {
  test(`${path.basename(file)}: the runtime reads what the front end parses`, () => {
    const text = readFileSync(file, "utf8");
    const { definition, diagnostics } = parseInterface(text, { file });
    assert.deepEqual(
      diagnostics.filter((d) => d.severity === "error"),
      [],
    );
    assert.deepEqual(readInterface(text), toInterfaceModel(definition!));
  });
}

for (const file of files) {
  test(`${path.basename(file)}: the model printed and read again is the same model`, () => {
    const model = readInterface(readFileSync(file, "utf8"));
    assert.deepEqual(readInterface(printInterface(model)), model);
  });
}

test("every character the front end's lexer ends a comment at, the printer starts a new comment line at", () => {
  // The printer's line breaks (runtime) and the lexer's (idl) are two definitions: this keeps them one set.
  const sink = new DiagnosticSink("doc.varlink");
  const escaped: string[] = [];
  for (let code = 0; code <= 0xffff; code++) {
    const c = String.fromCharCode(code);
    const text = printInterface({
      name: "org.example.doc",
      doc: `a${c}method Evil() -> ()`,
      members: [
        {
          kind: "method",
          name: "Ping",
          input: { kind: "struct", fields: [] },
          output: { kind: "struct", fields: [] },
          modes: {},
        },
      ],
    });
    const { tokens } = tokenize(new LineMap(text), sink);
    if (tokens.some((token) => token.image === "Evil") || readInterface(text).members.length !== 1)
      escaped.push(`U+${code.toString(16).padStart(4, "0")}`);
  }
  assert.deepEqual(escaped, []);
});

test("mapType gives each struct what its fields' types became, in order", () => {
  const type: TypeModel = {
    kind: "struct",
    fields: [
      { name: "a", type: { kind: "array", element: { kind: "int" } } },
      { name: "b", type: { kind: "nullable", inner: { kind: "named", name: "T" } } },
    ],
  };
  const kinds = mapType<string>(type, {
    leaf: (leaf) => leaf.kind,
    array: (element) => `array of ${element}`,
    map: (value) => `map of ${value}`,
    nullable: (inner) => `maybe ${inner}`,
    struct: (struct, fields) => struct.fields.map((f, i) => `${f.name}=${fields[i]}`).join(";"),
  });
  assert.equal(kinds, "a=array of int;b=maybe named");
});

test("a type nested far deeper than any reader allows still prints, without exhausting the stack", () => {
  let type: TypeModel = { kind: "string" };
  for (let i = 0; i < 100_000; i++) type = { kind: "array", element: type };
  assert.equal(typeText(type), `${"[]".repeat(100_000)}string`);
});
