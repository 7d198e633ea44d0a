import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { test } from "node:test";
import { generate } from "../../src/codegen/index.js";
import { deriveInterfaces } from "../../src/derive/index.js";
import { printInterface } from "@varlink-ts/runtime/model";
import { parseInterface, toInterfaceModel } from "../../src/idl/index.js";
import { corpusFiles, fixturesDir } from "../helpers/paths.js";
import { inputOf } from "../helpers/generate-input.js";

// IDL → TypeScript → IDL: `generate`, then `derive` from the generated declarations, gives back
// the interface text after `fmt`, byte for byte, documentation and comments included. The
// embedded description is emptied before deriving, so what derive reads is the declarations.

const sources = (): Array<{ name: string; text: string }> => [
  ...corpusFiles("valid"),
  ...readdirSync(path.join(fixturesDir, "interfaces")).map((name) => ({
    name,
    text: readFileSync(path.join(fixturesDir, "interfaces", name), "utf8"),
  })),
];

/** The generated module with its `interfaceDescription` template emptied. */
const withoutDescription = (code: string): string => {
  const emptied = code.replace(/(export const interfaceDescription = )`(?:[^`\\]|\\[\s\S])*`;/, "$1``;");
  assert.notEqual(emptied, code, "the description is there to empty");
  return emptied;
};

for (const integers of ["number", "bigint"] as const) {
  test(`derive gives back every corpus and fixture interface from its generated code (int as ${integers})`, async (t) => {
    const dir = mkdtempSync(path.join(tmpdir(), "varlink-ts-round-trip-"));
    t.after(() => rmSync(dir, { recursive: true, force: true }));
    const expected = new Map<string, { name: string; text: string }>();
    for (const [index, source] of sources().entries()) {
      const { definition, diagnostics } = parseInterface(source.text, { file: source.name });
      assert.ok(definition !== undefined, `${source.name}: ${diagnostics.map((d) => d.message).join("; ")}`);
      const [file] = await generate([inputOf(definition, source.name)], { prettier: null, index: false, integers });
      // One folder each: org.example.Calc and org.example.calc differ only in case.
      const generatedPath = path.join(dir, String(index), file!.path);
      mkdirSync(path.dirname(generatedPath));
      writeFileSync(generatedPath, withoutDescription(file!.content));
      expected.set(generatedPath, { name: source.name, text: printInterface(toInterfaceModel(definition)) });
    }

    const result = deriveInterfaces([...expected.keys()]);
    assert.deepEqual(
      result.diagnostics.map((d) => `${d.file}: ${d.message}`),
      [],
    );
    assert.deepEqual(
      result.interfaces.map((derived) => derived.file).sort(),
      [...expected.keys()].sort(),
      "one interface from each file",
    );
    const differing = result.interfaces
      .filter((derived) => derived.text !== expected.get(derived.file)!.text)
      .map((derived) => expected.get(derived.file)!.name);
    assert.deepEqual(differing, []);
  });
}
