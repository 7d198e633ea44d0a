import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, test } from "node:test";
import fc from "fast-check";
import { buildModel } from "../../src/codegen/model.js";
import { parseInterface } from "../../src/idl/index.js";
import { formatIssue, type ValidationIssue } from "../../src/runtime/index.js";
import * as spaceship from "../generated/org.example.spaceship.js";
import * as typeforms from "../generated/org.example.typeforms.js";
import { fixturesDir } from "../helpers/paths.js";
import { corruptions, namedValue, type Types } from "./value-arbitraries.js";

const messages = (issues: ValidationIssue[]): string[] => issues.map(formatIssue);

const crew: spaceship.CrewMember = { name: "Kara", rank: "lieutenant", skills: { pilot: 10 }, badges: { wings: {} } };
const jump: spaceship.JumpInput = { configuration: { speed: 5, trajectory: 0.25, duration: 2 }, crew: [crew] };

describe("generated validators report the exact path of every bad value", () => {
  test("a valid value passes, loose and exact", () => {
    assert.deepEqual(spaceship.validateJumpInput(jump, true), []);
    assert.equal(spaceship.isJumpInput(jump, true), true);
  });

  test("a wrong scalar in a nested struct", () => {
    const bad = { ...jump, configuration: { ...jump.configuration, speed: "12a" } };
    assert.deepEqual(messages(spaceship.validateJumpInput(bad)), ['configuration.speed: expected int, got "12a"']);
    assert.equal(spaceship.isJumpInput(bad), false);
  });

  test("paths through arrays, maps and sets, all problems at once", () => {
    const member = { ...crew, rank: "admiral", skills: { pilot: 10, "deck 4": 1.5 }, badges: { wings: { extra: 1 } } };
    assert.deepEqual(messages(spaceship.validateJumpInput({ ...jump, crew: [crew, member] }, true)), [
      "crew[1].rank: expected (ensign, lieutenant, commander, captain), got \"admiral\"",
      'crew[1].skills["deck 4"]: expected int, got 1.5',
      'crew[1].badges["wings"]: expected {}, got an object',
    ]);
  });

  test("missing fields, nulls and undeclared fields", () => {
    assert.deepEqual(messages(spaceship.validateJumpInput({ crew: [] })), ["configuration: expected DriveConfiguration, got nothing"]);
    assert.deepEqual(spaceship.validateCrewMember({ ...crew, contact: null }), [], "a nullable field may be null");
    assert.deepEqual(messages(spaceship.validateCrewMember({ ...crew, contact: { name: "x" } })), ["contact.channel: expected string, got nothing"]);
    assert.deepEqual(spaceship.validateJumpInput({ ...jump, warp: 9 }), [], "replies ignore undeclared fields");
    assert.deepEqual(messages(spaceship.validateJumpInput({ ...jump, warp: 9 }, true)), ["warp: expected no such field, got 9"]);
  });

  test("ints beyond the safe range and floats", () => {
    assert.deepEqual(messages(spaceship.validateDriveConfiguration({ speed: 2 ** 60, trajectory: 1, duration: 1 })), [
      "speed: expected int, got 1152921504606847000 (beyond the safe integer range)",
    ]);
    assert.deepEqual(spaceship.validateDriveConfiguration({ speed: 1, trajectory: 3, duration: 1 }), [], "an int is a valid float");
  });

  test("nested containers and anonymous types", () => {
    const nesting = {
      matrix: [[1, "x"]],
      sparse: ["a", null, 3],
      index: { k: [1, 2.5] },
      maybe_map: { k: { a: 1, b: { c: "z" } }, n: null },
      sets: [null, { s: {} }],
      records: [{ id: 1, data: [] }],
      deep: { level1: { level2: { level3: { leaf: false } } } },
    };
    assert.deepEqual(messages(typeforms.validateNesting(nesting)), [
      "matrix[0][1]: expected float, got \"x\"",
      "sparse[2]: expected string, got 3",
      'index["k"][1]: expected int, got 2.5',
      'maybe_map["k"].b.c: expected (x, y), got "z"',
      "records[0].data: expected object, got an array of 0",
      "deep.level1.level2.level3.leaf: expected string, got false",
    ]);
  });

  test("fields named like Object.prototype members are read as own fields", () => {
    const keywords = { type: "t", interface: "i", class: true, default: 1, constructor: "c", prototype: 2, Upper_case: "u" };
    assert.deepEqual(typeforms.validateKeywords(keywords, true), []);
    const { constructor: _, ...missing } = keywords;
    assert.deepEqual(messages(typeforms.validateKeywords(missing)), ["constructor: expected string, got nothing"]);
  });
});

function modelOf(file: string): { types: Types; named: ReturnType<typeof buildModel>["types"] } {
  const { definition } = parseInterface(readFileSync(path.join(fixturesDir, "interfaces", file), "utf8"));
  const model = buildModel(definition!);
  return { types: new Map(model.types.map((t) => [t.name, t])), named: model.types };
}

type Validators = Record<string, (value: unknown, exact?: boolean) => ValidationIssue[]>;

for (const [file, module] of [["org.example.spaceship.varlink", spaceship], ["org.example.typeforms.varlink", typeforms]] as const) {
  describe(`property: ${file}`, () => {
    const { types, named } = modelOf(file);
    const validators = module as unknown as Validators;
    for (const type of named.filter((t) => !t.hoisted)) {
      const validate = validators[`validate${type.name}`]!;
      test(`random ${type.name} values pass; a corruption at any path is reported at that path`, () => {
        fc.assert(
          fc.property(namedValue(type, types), (value) => {
            assert.deepEqual(validate(value, true), [], JSON.stringify(value));
            for (const corruption of corruptions(type, value, types)) {
              const issues = validate(corruption.value, true);
              assert.ok(issues.length > 0, `corrupting ${corruption.path || "the value"} of ${JSON.stringify(value)} went unnoticed`);
              assert.ok(
                issues.some((i) => i.path === corruption.path),
                `expected an issue at "${corruption.path}", got ${JSON.stringify(issues.map((i) => i.path))}`,
              );
            }
          }),
          { numRuns: 60 },
        );
      });
    }
  });
}
