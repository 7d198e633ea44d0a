import assert from "node:assert/strict";
import { test } from "node:test";
import { defineInterface } from "@varlink-ts/runtime";
import { readInterface } from "@varlink-ts/runtime/model";
import { generatedInterface, interfaceTypes, method } from "@varlink-ts/runtime/codegen";
import { z } from "zod";

// Every descriptor exposes its interface in the runtime's model, and its table of types by key
// (`Jump.input`) is a view over that model, not a second copy.

const description = `interface org.example.ship

type Crate (weight: int)

method Jump(to: string) -> (crate: Crate)

error Lost (where: string)
`;

const accept = (value: unknown): value is object => typeof value === "object";

function shipDescriptor(text: string) {
  return generatedInterface({
    name: "org.example.ship",
    description: text,
    types: interfaceTypes(text),
    methods: { Jump: method(accept, accept) },
    errors: [],
  });
}

test("a generated descriptor's model is its description, read", () => {
  assert.deepEqual(shipDescriptor(description).model, readInterface(description));
});

test("a generated descriptor reads its description only when its model is first asked for", () => {
  const descriptor = shipDescriptor("not an interface");
  assert.throws(() => descriptor.model);
});

test("a generated descriptor's types are the members of its model", () => {
  const descriptor = shipDescriptor(description);
  const [crate, jump, lost] = descriptor.model.members;
  assert.ok(crate?.kind === "type" && jump?.kind === "method" && lost?.kind === "error");
  assert.equal(descriptor.types.get("Crate"), crate.type);
  assert.equal(descriptor.types.get("Jump.input"), jump.input);
  assert.equal(descriptor.types.get("Jump.output"), jump.output);
  assert.equal(descriptor.types.get("Lost"), lost.parameters);
  assert.throws(() => descriptor.types.get("Crate.input"), /declares no 'Crate.input'/);
});

test("a defined interface's types are the members of the model it was defined with", () => {
  const defined = defineInterface({
    name: "org.example.defined",
    methods: { Echo: { parameters: z.object({ text: z.string() }), reply: z.object({ text: z.string() }) } },
  });
  const [echo] = defined.model.members;
  assert.ok(echo?.kind === "method");
  assert.equal(defined.types.get("Echo.input"), echo.input);
});
