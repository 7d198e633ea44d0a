import assert from "node:assert/strict";
import { test } from "node:test";
import { sValidator } from "@hono/standard-validator";
import type { StandardSchemaV1 } from "@standard-schema/spec";
import { Hono } from "hono";
import { CrateSchema, type Crate } from "../generated/org.example.spaceship.js";

// Generated schemas implement Standard Schema v1, so libraries that take zod or valibot schemas
// take them too: here Hono's standard validator checks request bodies with one.

// The specification's own type accepts it, with the generated type as its output.
const asStandard: StandardSchemaV1<unknown, Crate> = CrateSchema;

const crate: Crate = {
  label: "tylium",
  contents: ["ore"],
  weight: 12.5,
  fragile: false,
  manifest: { origin: "Ragnar" },
  scan: [1, "two"],
};

function app(): Hono {
  return new Hono().post("/crates", sValidator("json", asStandard), (c) => {
    const body: Crate = c.req.valid("json");
    return c.json({ accepted: body.label });
  });
}

const post = (body: unknown): Promise<Response> =>
  Promise.resolve(
    app().request("/crates", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(body),
    }),
  );

test("Hono's standard validator accepts a valid body with a generated schema", async () => {
  const response = await post(crate);
  assert.equal(response.status, 200);
  assert.deepEqual(await response.json(), { accepted: "tylium" });
});

test("Hono's standard validator refuses an invalid body with the generated schema's issues and paths", async () => {
  const response = await post({ ...crate, weight: "heavy", contents: ["ore", 7] });
  assert.equal(response.status, 400);
  const body = (await response.json()) as { error: Array<{ message: string; path: Array<string | number> }> };
  assert.deepEqual(
    body.error.map((issue) => [issue.path, issue.message]),
    [
      [["contents", 1], "contents[1]: expected string, got 7"],
      [["weight"], 'weight: expected float, got "heavy"'],
    ],
  );
});
