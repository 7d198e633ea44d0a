import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, test } from "node:test";
import * as prettier from "prettier";
import { ref, type Declaration } from "../../src/codegen/code/ast.js";
import { printModule } from "../../src/codegen/code/print-module.js";
import { generate, type GenerateInput } from "../../src/codegen/index.js";
import { parseInterface } from "../../src/idl/index.js";
import { corpusFiles, fixturesDir } from "../helpers/paths.js";
import { inputOf } from "../helpers/generate-input.js";

// Generated code is laid out by prettier's own document printer, as prettier lays out code with
// its default options, without prettier parsing it. The proof: prettier leaves every generated
// file exactly as it is, for every real interface and both integer modes.

function inputs(): GenerateInput[] {
  const corpus = corpusFiles("valid").filter((f) => f.name !== "org.example.calc.varlink");
  const fixtures = readdirSync(path.join(fixturesDir, "interfaces")).map((name) => ({
    name,
    text: readFileSync(path.join(fixturesDir, "interfaces", name), "utf8"),
  }));
  return [...corpus, ...fixtures].map((file) => inputOf(parseInterface(file.text).definition!, file.name));
}

for (const integers of ["number", "bigint"] as const) {
  test(`prettier changes nothing in the code generated from the corpus and fixtures (int as ${integers})`, async () => {
    const differing: string[] = [];
    for (const file of await generate(inputs(), { prettier: null, integers })) {
      if ((await prettier.format(file.content, { parser: "typescript" })) !== file.content) differing.push(file.path);
    }
    assert.deepEqual(differing, []);
  });
}

describe("layouts that keep their meaning", () => {
  const print = (declaration: Declaration): string =>
    printModule({ header: "// x", declarations: [declaration] })
      .split("\n")
      .slice(2)
      .join("\n");
  const nullable = (type: ReturnType<typeof ref>): ReturnType<typeof ref> =>
    ({ kind: "union", types: [type, ref("null")] }) as never;

  test("an array of a nullable type keeps its parentheses, hugged or not", () => {
    const alias = (name: string, type: Parameters<typeof ref>[1]): Declaration => ({
      kind: "type-alias",
      exported: false,
      name,
      type: { kind: "array", element: type! },
    });
    assert.equal(print(alias("A", nullable(ref("Crate")))), "type A = (Crate | null)[];\n");
    assert.equal(print(alias("B", nullable(ref("string")))), "type B = (string | null)[];\n");
  });

  test("a long union of strings breaks one per line after '='", () => {
    const values = ["ensign", "lieutenant", "commander", "captain", "admiral", "fleet_admiral"];
    const printed = print({
      kind: "type-alias",
      exported: true,
      name: "Rank",
      type: { kind: "union", types: values.map((value) => ({ kind: "string-literal", value })) },
    });
    assert.equal(printed, `export type Rank =\n${values.map((v) => `  | "${v}"`).join("\n")};\n`);
  });
});
