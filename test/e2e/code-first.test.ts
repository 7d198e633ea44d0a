import assert from "node:assert/strict";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, test, type TestContext } from "node:test";
import { toStandardJsonSchema } from "@valibot/to-json-schema";
import { type } from "arktype";
import * as v from "valibot";
import { z } from "zod";
import {
  createClient,
  defineInterface,
  InvalidParameter,
  SchemaConversionError,
  SocketConnection,
  VarlinkServer,
  type DescribedSchema,
} from "@varlink-ts/runtime";
import { parseInterface } from "../../src/idl/index.js";
import { cliProcess } from "../helpers/cli.js";
import { socketAddress } from "../helpers/runtime.js";
import { demoInterfaceText } from "../helpers/demo-interface.js";

// Interfaces written in TypeScript with a schema library: asyncvarlink's demo interface defined
// once with zod, once with valibot and once with arktype. Each serves, describes itself with an
// interface text that `varlink-ts check` accepts and `generate --from` turns into code, and is
// called by `varlink-ts call`.

type Schemas = {
  reverse: [DescribedSchema, DescribedSchema];
  range: [DescribedSchema, DescribedSchema];
  sleep: [DescribedSchema, DescribedSchema];
};

const libraries: Record<string, () => Schemas> = {
  zod: () => {
    const direction = z.enum(["left", "right"]);
    return {
      reverse: [z.object({ value: direction }), z.object({ direction })],
      range: [z.object({ count: z.number().int() }), z.object({ value: z.number().int() })],
      sleep: [z.object({ delay: z.number() }), z.object({})],
    };
  },
  valibot: () => {
    const direction = v.picklist(["left", "right"]);
    const s = <T extends v.GenericSchema>(schema: T) => toStandardJsonSchema(schema);
    return {
      reverse: [s(v.object({ value: direction })), s(v.object({ direction }))],
      range: [
        s(v.object({ count: v.pipe(v.number(), v.integer()) })),
        s(v.object({ value: v.pipe(v.number(), v.integer()) })),
      ],
      sleep: [s(v.object({ delay: v.number() })), s(v.object({}))],
    };
  },
  arktype: () => ({
    reverse: [type({ value: "'left' | 'right'" }), type({ direction: "'left' | 'right'" })],
    range: [type({ count: "number.integer" }), type({ value: "number.integer" })],
    sleep: [type({ delay: "number" }), type({})],
  }),
};

function demo(schemas: Schemas) {
  return defineInterface({
    name: "org.example.demo",
    doc: "asyncvarlink's demo interface, code first.",
    methods: {
      Reverse: {
        parameters: schemas.reverse[0],
        reply: schemas.reverse[1],
        doc: "Which way the value points, reversed.",
      },
      Range: {
        parameters: schemas.range[0],
        reply: schemas.range[1],
        more: "requires",
        doc: "Counts from 0 to count - 1, one reply each.",
      },
      Sleep: { parameters: schemas.sleep[0], reply: schemas.sleep[1], doc: "Waits `delay` seconds." },
    },
  });
}

async function serve(t: TestContext, schemas: Schemas): Promise<string> {
  const Demo = demo(schemas);
  const server = new VarlinkServer({ logger: () => {} });
  // The schemas' types are erased in this table of libraries (see the typed test below).
  server.addInterface(Demo, {
    Reverse: ({ value }: { value: string }) => ({ direction: value === "left" ? "right" : "left" }),
    async *Range({ count }: { count: number }) {
      for (let value = 0; value < count - 1; value++) yield { value };
      return { value: count - 1 };
    },
    Sleep: ({ delay }: { delay: number }) => new Promise((resolve) => setTimeout(() => resolve({}), delay * 1000)),
  } as never);
  const { address } = socketAddress();
  await server.listen(address);
  t.after(() => server.close({ timeout: 0 }));
  return address;
}

for (const [library, schemas] of Object.entries(libraries)) {
  describe(`the demo interface defined with ${library}`, () => {
    test("describes itself with the interface text, which varlink-ts check accepts", async (t) => {
      const address = await serve(t, schemas());
      const client = await SocketConnection.connect(address);
      t.after(() => client.close());
      const { description } = await client.call("org.varlink.service.GetInterfaceDescription", {
        interface: "org.example.demo",
      });
      assert.equal(description, demoInterfaceText);
      const { diagnostics } = parseInterface(String(description));
      assert.deepEqual(diagnostics, []);
    });

    test("serves calls validated by the library, and streams", async (t) => {
      const address = await serve(t, schemas());
      const connection = await SocketConnection.connect(address);
      t.after(() => connection.close());
      const client = createClient(demo(schemas()), connection, { validateReplies: true });
      assert.deepEqual(await client.Reverse({ value: "left" }), { direction: "right" });
      const values: number[] = [];
      for await (const reply of client.Range({ count: 3 })) values.push((reply as { value: number }).value);
      assert.deepEqual(values, [0, 1, 2]);
      assert.deepEqual(await client.Sleep({ delay: 0.01 }), {});
      await assert.rejects(
        connection.call("org.example.demo.Reverse", { value: "up" }),
        (e: unknown) => e instanceof InvalidParameter && e.parameters.parameter === "value",
      );
      await assert.rejects(
        connection.call("org.example.demo.Sleep", { delay: "soon" }),
        (e: unknown) => e instanceof InvalidParameter && e.parameters.parameter === "delay",
      );
    });

    test("varlink-ts call and generate --from work on the live service", async (t) => {
      const address = await serve(t, schemas());
      const reversed = await cliProcess(["call", address, "org.example.demo.Reverse", '{"value": "right"}']);
      assert.equal(reversed.code, 0, reversed.stderr);
      assert.deepEqual(JSON.parse(reversed.stdout), { direction: "left" });
      const streamed = await cliProcess(["call", "--collect", address, "org.example.demo.Range", '{"count": 2}']);
      assert.deepEqual(JSON.parse(streamed.stdout), [{ value: 0 }, { value: 1 }]);
      const out = mkdtempSync(path.join(tmpdir(), "varlink-ts-code-first-"));
      const generated = await cliProcess(["generate", "--from", address, "--out", out, "--no-cache"]);
      assert.equal(generated.code, 0, generated.stderr);
      assert.match(
        readFileSync(path.join(out, "org.example.demo.ts"), "utf8"),
        /export const Demo: \$\.InterfaceDescriptor<DemoMethods>/,
      );
    });
  });
}

test("with zod, the handlers and the client are typed from the schemas", async (t) => {
  const direction = z.enum(["left", "right"]);
  const Demo = defineInterface({
    name: "org.example.demo",
    methods: {
      Reverse: { parameters: z.object({ value: direction }), reply: z.object({ direction }) },
      Range: {
        parameters: z.object({ count: z.number().int() }),
        reply: z.object({ value: z.number().int() }),
        more: "requires",
      },
    },
  });
  const server = new VarlinkServer({ logger: () => {} });
  // @ts-expect-error Range is missing
  void (() => server.addInterface(Demo, { Reverse: ({ value }) => ({ direction: value }) }));
  void (() =>
    server.addInterface(Demo, {
      // @ts-expect-error "up" is not a direction
      Reverse: () => ({ direction: "up" }),
      Range: () => ({ value: 1 }) as never,
    }));
  server.addInterface(Demo, {
    Reverse: ({ value }) => ({ direction: value === "left" ? "right" : "left" }),
    async *Range({ count }) {
      for (let value = 0; value < count; value++) yield { value };
    },
  });
  const { address } = socketAddress();
  await server.listen(address);
  t.after(() => server.close({ timeout: 0 }));
  const connection = await SocketConnection.connect(address);
  t.after(() => connection.close());
  const client = createClient(Demo, connection);
  const { direction: reversed } = await client.Reverse({ value: "right" });
  const check: "left" | "right" = reversed;
  assert.equal(check, "left");
  const values: number[] = [];
  for await (const { value } of client.Range({ count: 2 })) values.push(value);
  assert.deepEqual(values, [0, 1]);
});

describe("JSON Schema that varlink cannot say is refused, naming the field", () => {
  const refused = (parameters: DescribedSchema): unknown => {
    try {
      defineInterface({ name: "org.example.refused", methods: { M: { parameters, reply: z.object({}) } } });
    } catch (error) {
      return error;
    }
    return undefined;
  };
  const cases: Array<[string, DescribedSchema, RegExp]> = [
    [
      "a union",
      z.object({ u: z.union([z.string(), z.number()]) }),
      /^M\.parameters\.u: a union of string, number: varlink has unions only with null/,
    ],
    ["a tuple", z.object({ t: z.tuple([z.string(), z.number()]) }), /^M\.parameters\.t: 'prefixItems' makes a tuple/],
    ["a numeric range", z.object({ n: z.number().int().min(0) }), /^M\.parameters\.n: 'minimum' is a numeric range/],
    ["a pattern", z.object({ s: z.string().regex(/^a/) }), /^M\.parameters\.s: 'pattern' is a pattern/],
    ["a length limit", z.object({ a: z.array(z.string()).max(3) }), /^M\.parameters\.a: 'maxItems' is a length limit/],
    [
      "a nested union",
      z.object({ deep: z.object({ list: z.array(z.union([z.boolean(), z.string()])) }) }),
      /^M\.parameters\.deep\.list\[\]: a union/,
    ],
    [
      "a field name varlink does not allow",
      z.object({ "two words": z.string() }),
      /^M\.parameters\.two words: 'two words' is not a varlink field name/,
    ],
  ];
  for (const [what, schema, message] of cases) {
    test(what, () => {
      const error = refused(schema);
      assert.ok(error instanceof SchemaConversionError, String(error));
      assert.match(error.message, message);
    });
  }
  test("a nullable field and an optional one are both ?T; zod's safe-integer bounds are int", () => {
    const Demo = defineInterface({
      name: "org.example.shapes",
      methods: {
        M: {
          parameters: z.object({
            a: z.string().nullable(),
            b: z.number().int().optional(),
            c: z.record(z.string(), z.boolean()),
            d: z.record(z.string(), z.object({}).strict()),
            e: z.unknown(),
            f: z.record(z.string(), z.unknown()),
          }),
          reply: z.object({}),
        },
      },
    });
    assert.match(
      Demo.description,
      /^method M\(\n {2}a: \?string,\n {2}b: \?int,\n {2}c: \[string\]bool,\n {2}d: \[string\]\(\),\n {2}e: any,\n {2}f: object\n\) -> \(\)$/m,
    );
  });
});
