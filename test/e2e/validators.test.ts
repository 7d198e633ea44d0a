import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, test } from "node:test";
import fc from "fast-check";
import { toEmitInterface, type EmitType } from "../../src/codegen/emit-model.js";
import { parseInterface, toInterfaceModel } from "../../src/idl/index.js";
import {
  createClient,
  implementInterface,
  ReplyValidationError,
  type MessageParameters,
  type MethodImplementation,
  type Schema,
  type ServiceInterface,
  type UpgradedStream,
  type ValidationIssue,
  type VarlinkConnection,
} from "@varlink-ts/runtime";
import { interfaceTypes, reportIssues } from "@varlink-ts/runtime/codegen";
import * as spaceship from "../generated/org.example.spaceship.js";
import * as typeforms from "../generated/org.example.typeforms.js";
import { fixturesDir } from "../helpers/paths.js";
import { corruptions, namedValue, type Types } from "./value-arbitraries.js";

// The generated checks and the runtime's reports (read from the interface description) must
// agree: a value the check refuses gets issues, each at the exact path of the bad value.

const messages = (issues: ValidationIssue[]): string[] => issues.map((i) => i.message);
const jumpInput = (value: unknown, exact = false): string[] =>
  messages(reportIssues(interfaceTypes(spaceship.interfaceDescription), "Jump.input", value, { exact }));

const crew: spaceship.CrewMember = { name: "Kara", rank: "lieutenant", skills: { pilot: 10 }, badges: { wings: {} } };
const jump: spaceship.JumpInput = { configuration: { speed: 5, trajectory: 0.25, duration: 2 }, crew: [crew] };

describe("reports give the exact path of every bad value", () => {
  test("a valid value passes, loose and exact, with the value narrowed", () => {
    const result = spaceship.CrewMemberSchema.validate(crew, { exact: true });
    assert.ok(result.success);
    assert.equal(result.value.name, "Kara");
    assert.equal(spaceship.isCrewMember(crew), true);
  });

  test("a wrong scalar in a nested struct", () => {
    assert.deepEqual(jumpInput({ ...jump, configuration: { ...jump.configuration, speed: "12a" } }), [
      'configuration.speed: expected int, got "12a"',
    ]);
  });

  test("paths through arrays, maps and sets, all problems at once", () => {
    const member = { ...crew, rank: "admiral", skills: { pilot: 10, "deck 4": 1.5 }, badges: { wings: { extra: 1 } } };
    assert.deepEqual(jumpInput({ ...jump, crew: [crew, member] }, true), [
      'crew[1].rank: expected (ensign, lieutenant, commander, captain), got "admiral"',
      'crew[1].skills["deck 4"]: expected int, got 1.5',
      'crew[1].badges["wings"]: expected {}, got an object',
    ]);
  });

  test("segments give the same place as keys and indexes", () => {
    const result = spaceship.CrewMemberSchema.validate({ ...crew, skills: { "deck 4": "x" } });
    assert.ok(!result.success);
    assert.deepEqual(
      result.issues.map((i) => i.segments),
      [["skills", "deck 4"]],
    );
  });

  test("missing fields, nulls and undeclared fields", () => {
    assert.deepEqual(jumpInput({ crew: [] }), ["configuration: expected DriveConfiguration, got nothing"]);
    assert.ok(spaceship.CrewMemberSchema.validate({ ...crew, contact: null }).success, "a nullable field may be null");
    const missing = spaceship.CrewMemberSchema.validate({ ...crew, contact: { name: "x" } });
    assert.deepEqual(missing.success ? [] : messages(missing.issues), [
      "contact.channel: expected string, got nothing",
    ]);
    assert.deepEqual(jumpInput({ ...jump, warp: 9 }), [], "replies ignore undeclared fields");
    assert.deepEqual(jumpInput({ ...jump, warp: 9 }, true), ["unknown field 'warp'"]);
  });

  test("ints beyond the safe range and floats", () => {
    const huge = spaceship.DriveConfigurationSchema.validate({ speed: 2 ** 60, trajectory: 1, duration: 1 });
    assert.deepEqual(huge.success ? [] : messages(huge.issues), [
      "speed: expected int, got 1152921504606847000 (beyond the safe integer range)",
    ]);
    assert.ok(
      spaceship.DriveConfigurationSchema.validate({ speed: 1, trajectory: 3, duration: 1 }).success,
      "an int is a valid float",
    );
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
    const result = typeforms.NestingSchema.validate(nesting);
    assert.deepEqual(result.success ? [] : messages(result.issues), [
      'matrix[0][1]: expected float, got "x"',
      "sparse[2]: expected string, got 3",
      'index["k"][1]: expected int, got 2.5',
      'maybe_map["k"].b.c: expected (x, y), got "z"',
      "records[0].data: expected object, got an array of 0",
      "deep.level1.level2.level3.leaf: expected string, got false",
    ]);
  });

  test("fields named like Object.prototype members are read as own fields", () => {
    const keywords = {
      type: "t",
      interface: "i",
      class: true,
      default: 1,
      constructor: "c",
      prototype: 2,
      Upper_case: "u",
    };
    assert.ok(typeforms.KeywordsSchema.validate(keywords, { exact: true }).success);
    const { constructor: _, ...missing } = keywords;
    const result = typeforms.KeywordsSchema.validate(missing);
    assert.deepEqual(result.success ? [] : messages(result.issues), ["constructor: expected string, got nothing"]);
  });
});

describe("validation of a recursive type is bounded in depth", () => {
  /** A Tree with one child per level, `levels` deep, built without recursion. */
  const tree = (levels: number): typeforms.Tree => {
    let node: typeforms.Tree = { name: "leaf", children: [] };
    for (let i = 1; i < levels; i++) node = { name: `n${i}`, children: [node] };
    return node;
  };

  test("a Tree within the nesting limit is valid", () => {
    // Each level is an object and an array: 256 levels are 511 of nesting.
    assert.ok(typeforms.TreeSchema.validate(tree(256)).success);
  });

  test("a Tree 100,000 levels deep is refused at the limit, with a path, without exhausting the stack", () => {
    const result = typeforms.TreeSchema.validate(tree(100_000));
    assert.equal(result.success, false);
    const issue = result.success ? undefined : result.issues[0];
    assert.match(
      issue?.message ?? "",
      /^children\[0\](\.children\[0\])+: expected at most 512 levels of nesting, got an object$/,
    );
    const standard = typeforms.TreeSchema["~standard"].validate(tree(100_000));
    assert.ok("issues" in standard && standard.issues !== undefined && standard.issues.length === 1);
  });
});

// The property tests reach every kind of struct the way it is used: declared types through their
// schemas, method parameters through the service (exact, as calls are checked), replies through
// a client that validates them.

function modelOf(file: string): { types: Types; model: ReturnType<typeof toEmitInterface> } {
  const { definition } = parseInterface(readFileSync(path.join(fixturesDir, "interfaces", file), "utf8"));
  const model = toEmitInterface(toInterfaceModel(definition!), definition!.source);
  return { types: new Map(model.types.map((t) => [t.name, t])), model };
}

/** A connection whose every call answers `reply`. */
function answering(reply: unknown): VarlinkConnection {
  return {
    call: async () => reply as MessageParameters,
    more: async function* () {
      yield reply as MessageParameters;
    },
    oneway: async () => {},
    upgrade: async () => ({ parameters: reply as MessageParameters, stream: {} as UpgradedStream }),
    close: async () => {},
  };
}

type Paths = (value: unknown) => Promise<string[]>;

interface Module {
  [name: string]: unknown;
}

function pathsFor(
  type: EmitType,
  model: ReturnType<typeof toEmitInterface>,
  module: Module,
  service: ServiceInterface,
  client: (reply: unknown) => Record<string, unknown>,
): Paths | undefined {
  if (type.role === "declared") {
    const schema = module[type.schema!] as Schema<unknown>;
    return async (value) => {
      const result = schema.validate(value, { exact: true });
      assert.equal(schema.is(value, { exact: true }), result.success, "the check and the report agree");
      return result.success ? [] : result.issues.map((i) => i.path);
    };
  }
  const method = model.methods.find((m) => m.input === type.name || m.output === type.name);
  if (method === undefined) return undefined;
  if (type.role === "input") {
    const implementation = service.methods[method.wireName] as MethodImplementation;
    return async (value) => {
      const accepted = await implementation.parameters!(value as MessageParameters);
      return accepted.ok ? [] : accepted.issues.map((issue) => issue.path);
    };
  }
  if (type.role === "output") {
    return async (value) => {
      const member = client(value)[method.wireName] as (
        ...args: unknown[]
      ) => Promise<unknown> | AsyncIterable<unknown>;
      try {
        const result = member({});
        if (Symbol.asyncIterator in (result as object)) for await (const _ of result as AsyncIterable<unknown>);
        else await result;
        return [];
      } catch (error) {
        assert.ok(error instanceof ReplyValidationError, String(error));
        return error.issues.map((i) => i.path);
      }
    };
  }
  return undefined;
}

const fixtures = [
  [
    "org.example.spaceship.varlink",
    spaceship,
    implementInterface(spaceship.Spaceship, {}, { partial: true }),
    (reply: unknown) => createClient(spaceship.Spaceship, answering(reply), { validateReplies: true }),
  ],
  [
    "org.example.typeforms.varlink",
    typeforms,
    implementInterface(typeforms.Typeforms, {}, { partial: true }),
    (reply: unknown) => createClient(typeforms.Typeforms, answering(reply), { validateReplies: true }),
  ],
] as const;

for (const [file, module, service, client] of fixtures) {
  describe(`property: ${file}`, () => {
    const { types, model } = modelOf(file);
    for (const type of model.types) {
      const paths = pathsFor(
        type,
        model,
        module as unknown as Module,
        service,
        client as unknown as (reply: unknown) => Record<string, unknown>,
      );
      if (paths === undefined) continue;
      // Replies are checked loosely, so only corruptions of values count there, not extra fields.
      test(`random ${type.name} values pass; a corruption at any path is reported at that path`, async () => {
        await fc.assert(
          fc.asyncProperty(namedValue(type, types), async (value) => {
            assert.deepEqual(await paths(value), [], JSON.stringify(value));
            for (const corruption of corruptions(type, value, types)) {
              const found = await paths(corruption.value);
              assert.ok(
                found.length > 0,
                `corrupting ${corruption.path || "the value"} of ${JSON.stringify(value)} went unnoticed`,
              );
              assert.ok(
                found.includes(corruption.path),
                `expected an issue at "${corruption.path}", got ${JSON.stringify(found)}`,
              );
            }
          }),
          { numRuns: 60 },
        );
      });
    }
  });
}
