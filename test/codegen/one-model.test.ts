import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { test } from "node:test";
import { sourceFiles } from "../helpers/imports.js";
import { printInterface, readInterface } from "@varlink-ts/runtime/model";
import { templateLiteral } from "../../src/codegen/generate.js";
import { generate } from "../../src/codegen/index.js";
import { parseInterface } from "../../src/idl/index.js";
import { inputOf } from "../helpers/generate-input.js";
import { fixturesDir, repoRoot } from "../helpers/paths.js";

// One interface shape between stages: the runtime's InterfaceModel. The generator takes it
// from whichever reader made it, and no stage declares a shape of its own under its names.

const modelTypes = [
  "InterfaceModel",
  "MemberModel",
  "FieldModel",
  "StructModel",
  "EnumModel",
  "EnumValueModel",
  "TypeModel",
];

test("no stage but the runtime declares a type under the model's names", () => {
  // A declaration, not `type Name,` in a multi-line import list.
  const declaration = new RegExp(
    `^\\s*(?:export\\s+)?(?:interface|type|class)\\s+(${modelTypes.join("|")})\\b(?!\\s*[,}])`,
    "m",
  );
  const found = ["codegen", "explorer", "openapi", "cli", "derive", "lsp"]
    .flatMap((stage) => sourceFiles(path.join(repoRoot, "src", stage)))
    .flatMap((file) => {
      const match = declaration.exec(readFileSync(file, "utf8"));
      return match === null ? [] : [`${path.relative(repoRoot, file)} declares ${match[1]}`];
    });
  assert.deepEqual(found, []);
});

test("the generator gives the same code for a model read from the text as for one the front end built", async () => {
  const names = readdirSync(path.join(fixturesDir, "interfaces")).filter((name) => name.endsWith(".varlink"));
  for (const name of names) {
    const text = readFileSync(path.join(fixturesDir, "interfaces", name), "utf8");
    const parsed = await generate([inputOf(parseInterface(text).definition!, name)], { index: false, prettier: null });
    // What `generate --from` and derive have: a model, as readInterface reads a service's description.
    const read = await generate([{ model: readInterface(text), description: text, sourcePath: name }], {
      index: false,
      prettier: null,
    });
    assert.equal(read[0]!.content, parsed[0]!.content, name);
  }
});

test("a model given without its text is generated with the text printed from it", async () => {
  // As derive or defineInterface hand it over: a model, no file.
  const model = readInterface(
    readFileSync(path.join(fixturesDir, "interfaces", "org.example.spaceship.varlink"), "utf8"),
  );
  const [file] = await generate([{ model, sourcePath: "org.example.spaceship.varlink" }], {
    index: false,
    prettier: null,
  });
  assert.ok(file!.content.includes(`export const interfaceDescription = ${templateLiteral(printInterface(model))};`));
});

test("the explorer page reads the model the bridge sends and parses no interface text", () => {
  // Before, the page got the description beside a copy of the model, and read the text again.
  const parses = sourceFiles(path.join(repoRoot, "src", "explorer")).filter((file) =>
    /\breadInterface\b|\.description\b/.test(readFileSync(file, "utf8")),
  );
  assert.deepEqual(
    parses.map((file) => path.relative(repoRoot, file)),
    [],
  );
});
