import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, test } from "node:test";
import { compileErrors, validate } from "@readme/openapi-parser";
import { Ajv2020 } from "ajv/dist/2020.js";
import { parseInterface, toInterfaceModel, type InterfaceDefinition } from "../../src/idl/index.js";
import {
  openApiBridgeDocument,
  openApiDocument,
  OpenApiSizeError,
  type OpenApiDocument,
} from "../../src/openapi/index.js";
import { corpusFiles, corpusSkip, fixturesDir } from "../helpers/paths.js";

// OpenAPI 3.1 from interfaces: valid by a maintained validator for the whole corpus, and right in
// what it says of types, errors and streams.

function definitionOf(text: string): InterfaceDefinition {
  const { definition, diagnostics } = parseInterface(text);
  assert.deepEqual(
    diagnostics.filter((d) => d.severity === "error"),
    [],
  );
  return definition!;
}

const spaceship = definitionOf(
  readFileSync(path.join(fixturesDir, "interfaces", "org.example.spaceship.varlink"), "utf8"),
);
const document = openApiDocument([toInterfaceModel(spaceship)], { service: "ship" });

type Json = { [key: string]: unknown };
const at = (value: unknown, ...keys: string[]): Json =>
  keys.reduce<Json>((node, key) => node[key] as Json, value as Json);
const operation = (doc: OpenApiDocument, method: string): Json =>
  at(doc, "paths", `/call/ship/org.example.spaceship.${method}`, "post");

describe("OpenAPI documents", () => {
  test("every corpus interface gives a document the OpenAPI 3.1 validator accepts", { skip: corpusSkip }, async () => {
    const refused: string[] = [];
    for (const file of corpusFiles("valid")) {
      const result = await validate(
        structuredClone(
          openApiDocument([toInterfaceModel(definitionOf(file.text))], {
            service: "svc",
            server: "/varlink",
            bearer: true,
          }),
        ) as never,
      );
      if (!result.valid) refused.push(`${file.name}: ${compileErrors(result)}`);
      else if (result.warnings.length > 0)
        refused.push(`${file.name}: ${result.warnings.map((w) => w.message).join("; ")}`);
    }
    assert.deepEqual(refused, []);
  });

  test("one document for a whole bridge: the corpus as services, valid, each path under its service", {
    skip: corpusSkip,
  }, async () => {
    const files = corpusFiles("valid");
    const services = files.map((file, i) => ({
      service: `svc${i % 7}`,
      interfaces: [toInterfaceModel(definitionOf(file.text))],
    }));
    const whole = openApiBridgeDocument(services, {
      title: "bridge",
      version: "1.2.3",
      server: "http://127.0.0.1:8080/varlink",
      bearer: true,
    });
    const result = await validate(structuredClone(whole) as never);
    assert.equal(result.valid, true, result.valid ? "" : compileErrors(result));
    assert.deepEqual(result.warnings, []);
    assert.ok(Object.keys(whole["paths"] as Json).every((key) => /^\/call\/svc\d\//.test(key)));
  });

  test("an interface two services describe differently keeps each one's schemas apart", async () => {
    const v1 = definitionOf(
      "interface org.example.versioned\ntype Item (name: string)\nmethod Get() -> (item: Item)\n",
    );
    const v2 = definitionOf(
      "interface org.example.versioned\ntype Item (name: string, size: int)\nmethod Get() -> (item: Item)\n",
    );
    const whole = openApiBridgeDocument(
      [
        { service: "old", interfaces: [toInterfaceModel(v1)] },
        { service: "new", interfaces: [toInterfaceModel(v2)] },
      ],
      { title: "bridge", version: "1.2.3" },
    );
    assert.equal((await validate(structuredClone(whole) as never)).valid, true);
    assert.deepEqual(
      Object.keys(at(at(whole, "components", "schemas", "old.org.example.versioned.Item"), "properties")),
      ["name"],
    );
    assert.deepEqual(
      Object.keys(at(at(whole, "components", "schemas", "new.org.example.versioned.Item"), "properties")),
      ["name", "size"],
    );
  });

  test("the validator refuses a document with a dangling reference (it can fail)", async () => {
    const broken = structuredClone(document) as Json;
    at(broken, "components", "schemas")["org.example.spaceship.DriveCondition"] = {
      $ref: "#/components/schemas/Nowhere",
    };
    assert.equal((await validate(broken as never)).valid, false);
  });

  test("?T is a nullable schema and its field is not required", () => {
    const condition = at(document, "components", "schemas", "org.example.spaceship.DriveCondition");
    assert.deepEqual(at(condition, "properties", "fault"), {
      type: ["string", "null"],
      description: "Set while the drive reports a fault.",
    });
    assert.deepEqual(condition["required"], ["state", "tylium_level"]);
    const jump = at(operation(document, "Jump"), "responses", "200", "content", "application/json", "schema");
    assert.deepEqual(at(jump, "properties", "log"), {
      anyOf: [{ type: "array", items: { type: "string" } }, { type: "null" }],
    });
  });

  test("int is a 64-bit integer, enums are strings, maps and sets are objects", () => {
    const crew = at(document, "components", "schemas", "org.example.spaceship.CrewMember", "properties");
    assert.deepEqual(crew["rank"], { type: "string", enum: ["ensign", "lieutenant", "commander", "captain"] });
    assert.deepEqual(crew["skills"], {
      type: "object",
      additionalProperties: { type: "integer", format: "int64" },
      description: "Skills keyed by name, with a level from 0 to 10.",
    });
    assert.deepEqual(crew["badges"], {
      type: "object",
      additionalProperties: { type: "object", properties: {} },
      description: "Badges as a set of names.",
    });
  });

  test("each method lists its interface's errors, with their parameters", () => {
    const reference = at(operation(document, "Status"), "responses", "500", "content", "application/json", "schema");
    assert.deepEqual(reference, { $ref: "#/components/schemas/org.example.spaceship._errors" });
    const errors = at(document, "components", "schemas", "org.example.spaceship._errors");
    assert.deepEqual(errors["anyOf"], [
      { $ref: "#/components/schemas/org.example.spaceship.NotEnoughEnergy" },
      { $ref: "#/components/schemas/org.example.spaceship.ParameterOutOfRange" },
      { $ref: "#/components/schemas/VarlinkError" },
    ]);
    const notEnough = at(document, "components", "schemas", "org.example.spaceship.NotEnoughEnergy");
    assert.deepEqual(at(notEnough, "properties", "error"), { const: "org.example.spaceship.NotEnoughEnergy" });
    assert.deepEqual(at(notEnough, "properties", "parameters", "required"), ["required", "available"]);
  });

  test("a method that requires 'more' is described as application/json-seq alone", () => {
    assert.deepEqual(Object.keys(at(operation(document, "Monitor"), "responses", "200", "content")), [
      "application/json-seq",
    ]);
  });

  test("a method that supports 'more' answers application/json or application/json-seq", () => {
    assert.deepEqual(Object.keys(at(operation(document, "ListCargo"), "responses", "200", "content")), [
      "application/json",
      "application/json-seq",
    ]);
  });

  test("in an annotated interface, a method without an annotation answers application/json alone", () => {
    assert.deepEqual(Object.keys(at(operation(document, "Jump"), "responses", "200", "content")), ["application/json"]);
  });

  test("in an interface that annotates nothing, every method may stream", () => {
    const plain = openApiDocument([
      toInterfaceModel(definitionOf("interface org.example.plain\nmethod List() -> (item: string)\n")),
    ]);
    assert.deepEqual(
      Object.keys(at(plain, "paths", "/call/org.example.plain.List", "post", "responses", "200", "content")),
      ["application/json", "application/json-seq"],
    );
  });

  test("without a service, paths are /call/METHOD; with one, /call/SERVICE/METHOD", () => {
    const plain = openApiDocument([toInterfaceModel(spaceship)]);
    assert.ok("/call/org.example.spaceship.Jump" in at(plain, "paths"));
    assert.ok("/call/ship/org.example.spaceship.Jump" in at(document, "paths"));
  });

  test("an operation's size does not grow with its interface's errors: they are one schema it refers to", () => {
    const withErrors = (count: number): string => {
      const errors = Array.from({ length: count }, (_, i) => `error E${i} (reason: string)`).join("\n");
      const model = toInterfaceModel(
        definitionOf(`interface org.example.errors\nmethod Get(id: string) -> (value: string)\n${errors}\n`),
      );
      return JSON.stringify(at(openApiDocument([model]), "paths"));
    };
    assert.equal(withErrors(1000), withErrors(1));
  });

  test("what every operation answers besides its reply and errors is written once, and referred to", () => {
    const responses = at(operation(document, "Jump"), "responses");
    for (const status of ["204", "400", "403", "404", "405", "413", "415", "501", "502", "503", "504"])
      assert.match(String(at(responses, status)["$ref"]), /^#\/components\/responses\/\w+$/, status);
    assert.deepEqual(at(operation(document, "Jump"), "parameters"), [{ $ref: "#/components/parameters/oneway" }]);
  });

  test("a document over its size bound is refused while it is built, naming the interface", () => {
    const methods = Array.from({ length: 2000 }, (_, i) => `method M${i}(id: string) -> (value: string)`).join("\n");
    const big = toInterfaceModel(definitionOf(`interface org.example.big\n${methods}\n`));
    assert.throws(
      () => openApiDocument([big], { maxSize: 100_000 }),
      (error: unknown) =>
        error instanceof OpenApiSizeError &&
        /larger than 100000 characters \(reached at interface org\.example\.big\)/.test(error.message),
    );
    assert.ok(JSON.stringify(openApiDocument([big])).length > 100_000, "the default bound holds it");
  });

  test("the schemas accept values of the interface and refuse others", () => {
    const ajv = new Ajv2020({ strict: false });
    ajv.addFormat("int64", true).addFormat("double", true);
    ajv.addSchema({ $id: "doc", components: at(document, "components") });
    const crate = ajv.compile({ $ref: "doc#/components/schemas/org.example.spaceship.Crate" });
    const valid = {
      label: "tylium",
      contents: ["fuel"],
      weight: 1.5,
      fragile: false,
      manifest: {},
      scan: [1, "x"],
      dimensions: null,
    };
    assert.equal(crate(valid), true, JSON.stringify(crate.errors));
    assert.equal(crate({ ...valid, weight: "heavy" }), false);
    assert.equal(crate({ ...valid, scan: null }), false, "any is not null");
  });
});
