import assert from "node:assert/strict";
import { test } from "node:test";
import { toStandardJsonSchema } from "@valibot/to-json-schema";
import { type } from "arktype";
import * as v from "valibot";
import { z } from "zod";
import { defineInterface, SchemaConversionError, type DescribedSchema, type SchemaMethod } from "@varlink-ts/runtime";
import { readInterface } from "@varlink-ts/runtime/model";
import { maxNesting, parseInterface } from "../../src/idl/index.js";

// What a careless or hostile caller can hand defineInterface: documentation holding every line
// break, NUL or a megabyte of text; names that clash; one id for two schemas; schemas nested
// past any limit, cyclic, or of kinds JSON Schema cannot say. What must hold: an error that
// says where and why, or an interface whose text our own parser accepts with exactly the
// members defined. Never a crash, a stack overflow or a text that says something else.

/** A schema library's schema whose JSON Schema is `schema`: what any library may hand over. */
function described(schema: unknown): DescribedSchema {
  return {
    "~standard": {
      version: 1,
      vendor: "test",
      validate: (value) => ({ value }),
      jsonSchema: { input: () => schema as Record<string, unknown>, output: () => schema as Record<string, unknown> },
    },
  };
}

const empty = z.object({});
const method = (parameters: DescribedSchema = empty, doc?: string): SchemaMethod => ({
  parameters,
  reply: empty,
  ...(doc !== undefined ? { doc } : {}),
});

/** The members our parser finds in the interface's text, after checking it has no errors. */
function parsedMembers(description: string): string[] {
  const { definition, diagnostics } = parseInterface(description);
  assert.deepEqual(
    diagnostics.filter((d) => d.severity === "error"),
    [],
    description,
  );
  return definition!.members.map((m) => `${m.kind} ${m.name}`);
}

/** `{ value: { value: … } }` as JSON Schema, `levels` deep, built without recursion. */
function nestedSchema(levels: number): Record<string, unknown> {
  let schema: Record<string, unknown> = { type: "string" };
  for (let i = 0; i < levels; i++) schema = { type: "object", properties: { value: schema }, required: ["value"] };
  return schema;
}

const injected = "method Evil() -> ()";
const lineBreaks = { LF: "\n", CR: "\r", CRLF: "\r\n", "LS (U+2028)": "\u2028", "PS (U+2029)": "\u2029" };

for (const [name, lineBreak] of Object.entries(lineBreaks)) {
  test(`documentation holding ${name} stays documentation, wherever it is written`, () => {
    const doc = `hello${lineBreak}${injected}${lineBreak}`;
    const Demo = defineInterface({
      name: "org.example.hostile",
      doc,
      methods: { Ping: method(z.object({ value: z.string().describe(doc) }), doc) },
      errors: { Failed: { parameters: empty, doc } },
    });
    assert.deepEqual(parsedMembers(Demo.description), ["method Ping", "error Failed"]);
    assert.deepEqual(
      readInterface(Demo.description).members.map((m) => m.name),
      ["Ping", "Failed"],
    );
  });
}

test("documentation holding NUL and other control characters reads back as written", () => {
  const doc = "a\0b\u0001c\u007fd\u0085e";
  const Demo = defineInterface({ name: "org.example.hostile", methods: { Ping: method(empty, doc) } });
  assert.deepEqual(parsedMembers(Demo.description), ["method Ping"]);
  assert.equal(readInterface(Demo.description).members[0]!.doc, doc);
});

test("a megabyte of documentation is printed, and parses", () => {
  const doc = "word ".repeat(200_000);
  const Demo = defineInterface({ name: "org.example.hostile", doc, methods: { Ping: method() } });
  assert.deepEqual(parsedMembers(Demo.description), ["method Ping"]);
});

test("a method and an error of one name are refused, naming both", () => {
  assert.throws(
    () =>
      defineInterface({
        name: "org.example.hostile",
        methods: { Same: method() },
        errors: { Same: { parameters: empty } },
      }),
    {
      name: "TypeError",
      message: "the error 'Same' and the method 'Same' have one name: types, methods and errors share one namespace",
    },
  );
});

test("a type id equal to a method's or an error's name is refused, naming where the type is", () => {
  const Node = z.object({ label: z.string() }).meta({ id: "Node" });
  assert.throws(
    () => defineInterface({ name: "org.example.hostile", methods: { Node: method(z.object({ node: Node })) } }),
    {
      name: "TypeError",
      message:
        "the method 'Node' and the type with the id 'Node' (at Node.parameters.node) have one name: types, methods and errors share one namespace",
    },
  );
  assert.throws(
    () =>
      defineInterface({
        name: "org.example.hostile",
        methods: { Get: method(z.object({ node: Node })) },
        errors: { Node: { parameters: empty } },
      }),
    /the error 'Node' and the type with the id 'Node' \(at Get\.parameters\.node\)/,
  );
});

test("an interface that declares nothing is refused, as the parser refuses its text", () => {
  assert.throws(() => defineInterface({ name: "org.example.hostile", methods: {} }), {
    name: "TypeError",
    message: /declares no method or error/,
  });
});

test("two different schemas with one id are refused, naming both places", () => {
  const first = z.object({ label: z.string() }).meta({ id: "Node" });
  const second = z.object({ weight: z.int() }).meta({ id: "Node" });
  assert.throws(
    () =>
      defineInterface({
        name: "org.example.hostile",
        methods: {
          Add: method(z.object({ node: first })),
          Weigh: { parameters: empty, reply: z.object({ node: second }) },
        },
      }),
    (error: unknown) =>
      error instanceof SchemaConversionError &&
      error.path === "Weigh.reply.node" &&
      /the id 'Node' names two different types, here and at Add\.parameters\.node/.test(error.message),
  );
});

test("one schema used under its id in several methods is one type", () => {
  const Node = z.object({ label: z.string() }).meta({ id: "Node" });
  const Demo = defineInterface({
    name: "org.example.hostile",
    methods: { Add: method(z.object({ node: Node })), Get: { parameters: empty, reply: z.object({ node: Node }) } },
  });
  assert.deepEqual(parsedMembers(Demo.description), ["type Node", "method Add", "method Get"]);
});

test("a cyclic schema is a named type that refers to itself", () => {
  const Node: z.ZodType<{ next?: unknown }> = z
    .object({
      get next() {
        return Node.optional();
      },
    })
    .meta({ id: "Node" });
  const Demo = defineInterface({ name: "org.example.hostile", methods: { Walk: method(z.object({ from: Node })) } });
  assert.deepEqual(parsedMembers(Demo.description), ["type Node", "method Walk"]);
  assert.match(Demo.description, /^type Node \(next: \?Node\)$/m);
});

test("a schema nested 100,000 deep is refused at the level the parser stops, not a stack overflow", () => {
  assert.throws(
    () => defineInterface({ name: "org.example.hostile", methods: { Deep: method(described(nestedSchema(100_000))) } }),
    (error: unknown) =>
      error instanceof SchemaConversionError &&
      error.path === `Deep.parameters${".value".repeat(maxNesting)}` &&
      /more than 200 levels/.test(error.message),
  );
});

test("a schema nested as deep as the parser reads is an interface whose text parses", () => {
  const Demo = defineInterface({
    name: "org.example.hostile",
    methods: { Deep: method(described(nestedSchema(maxNesting - 10))) },
  });
  assert.deepEqual(parsedMembers(Demo.description), ["method Deep"]);
});

test("a library that fails to give a JSON Schema is an error naming the method's place", () => {
  const failing: DescribedSchema = {
    "~standard": {
      ...empty["~standard"],
      jsonSchema: {
        input: () => {
          throw new Error("no");
        },
        output: () => ({}),
      },
    },
  };
  assert.throws(
    () => defineInterface({ name: "org.example.hostile", methods: { Get: method(failing) } }),
    (error: unknown) =>
      error instanceof SchemaConversionError && error.path === "Get.parameters" && /no$/.test(error.message),
  );
});

test("a valibot schema not wrapped in toStandardJsonSchema is refused, naming what to wrap it in", () => {
  assert.throws(
    () =>
      defineInterface({
        name: "org.example.hostile",
        methods: { Greet: method(v.object({ name: v.string() }) as unknown as DescribedSchema) },
      }),
    (error: unknown) =>
      error instanceof SchemaConversionError &&
      error.path === "Greet.parameters" &&
      /wrap it in toStandardJsonSchema\(\) from @valibot\/to-json-schema/.test(error.message),
  );
});

test("a value that is no Standard Schema at all is refused, saying what defineInterface takes", () => {
  assert.throws(
    () => defineInterface({ name: "org.example.hostile", methods: { Greet: method({} as DescribedSchema) } }),
    (error: unknown) =>
      error instanceof SchemaConversionError &&
      error.path === "Greet.parameters" &&
      /not a Standard Schema/.test(error.message),
  );
});

for (const [kind, schema] of [
  ["zod's date", z.object({ name: z.string(), when: z.date() })],
  ["zod's bigint", z.object({ name: z.string(), when: z.bigint() })],
  ["zod's map", z.object({ name: z.string(), when: z.map(z.string(), z.string()) })],
  ["zod's nullable date", z.object({ name: z.string(), when: z.date().nullable() })],
  ["valibot's date", toStandardJsonSchema(v.object({ name: v.string(), when: v.date() }))],
  ["arktype's Date", type({ name: "string", when: "Date" })],
] as const) {
  test(`${kind}, which has no JSON Schema, is refused naming the method and the field`, () => {
    assert.throws(
      () => defineInterface({ name: "org.example.hostile", methods: { Plan: method(schema as DescribedSchema) } }),
      (error: unknown) =>
        error instanceof SchemaConversionError &&
        error.path === "Plan.parameters.when" &&
        /no JSON Schema/.test(error.message),
    );
  });
}

test("an enum naming one value twice is refused, as the parser refuses its text", () => {
  assert.throws(
    () =>
      defineInterface({
        name: "org.example.hostile",
        methods: {
          Pick: method(
            described({ type: "object", properties: { side: { enum: ["left", "left"] } }, required: ["side"] }),
          ),
        },
      }),
    {
      name: "SchemaConversionError",
      message: "Pick.parameters.side: enum value 'left' twice: a varlink enum names each value once",
    },
  );
});

test("names JavaScript gives objects (constructor, __proto__, toString) are fields like any other, or refused by name", () => {
  const Demo = defineInterface({
    name: "org.example.hostile",
    methods: {
      Get: method(
        described({ type: "object", properties: { constructor: { type: "string" }, toString: { type: "string" } } }),
      ),
    },
  });
  assert.deepEqual(parsedMembers(Demo.description), ["method Get"]);
  assert.throws(
    () =>
      defineInterface({
        name: "org.example.hostile",
        methods: {
          Get: method(described(JSON.parse('{"type":"object","properties":{"__proto__":{"type":"string"}}}'))),
        },
      }),
    {
      name: "SchemaConversionError",
      message: /'__proto__' is not a varlink field name/,
    },
  );
});
