import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { test } from "node:test";
import fc from "fast-check";
import { generate } from "../../src/codegen/index.js";
import { parseInterface } from "../../src/idl/index.js";
import * as runtime from "@varlink-ts/runtime";
import { repoRoot } from "../helpers/paths.js";
import { projectWith, strictestFlags, typeCheck } from "../helpers/typecheck.js";
import { inputOf } from "../helpers/generate-input.js";

// Names cannot collide by construction; this tries to make them. Random interfaces take their
// type, method, error, field and enum names from pools of everything generated code could clash
// with, and all of them must generate code that compiles under the strictest settings.

/** Every type and value name the runtime declares (exported or not), read from its declarations. */
function runtimeNames(): string[] {
  const names = new Set(Object.keys(runtime));
  const dir = path.join(repoRoot, "src", "runtime", "dist");
  for (const file of readdirSync(dir, { recursive: true })
    .map(String)
    .filter((f) => f.endsWith(".d.ts"))) {
    const text = readFileSync(path.join(dir, file), "utf8");
    for (const match of text.matchAll(/\b(?:type|class|interface|function|const)\s+([A-Za-z_$][\w$]*)/g))
      names.add(match[1]!);
  }
  return [...names];
}

const globals =
  `Array ArrayLike AsyncGenerator AsyncIterable AsyncIterableIterator Awaited BigInt Boolean Date Error Exclude
  Function Generator Infinity Iterable IterableIterator JSON Map Math NaN NonNullable Number Object Omit Parameters Partial
  Pick Promise PromiseLike Proxy Readonly ReadonlyArray ReadonlyMap ReadonlySet Record Reflect RegExp Required ReturnType
  Set String Symbol TypeError Uint8Array WeakMap WeakSet`.split(/\s+/);

const reserved =
  `break case catch class const continue debugger default delete do else enum export extends false finally for
  function if import in instanceof new null return super switch this throw true try typeof var void while with as implements
  interface let package private protected public static yield any boolean constructor declare get module require number set
  string symbol type from of async await never unknown object undefined bigint infer is keyof readonly unique`.split(
    /\s+/,
  );

const memberPool = [...new Set([...runtimeNames().filter((n) => /^[A-Z][A-Za-z0-9]*$/.test(n)), ...globals])];
/** Field and enum names: reserved words, Object.prototype's members, the checks' own locals. */
const prototypePool = Object.getOwnPropertyNames(Object.prototype).filter((n) => /^[A-Za-z](_?[A-Za-z0-9])*$/.test(n));
const fieldPool = [...new Set([...reserved, ...prototypePool, "value", "options", "key", "i", "then"])];

test("the name pools hold every runtime export, global and reserved word tried", () => {
  for (const name of [
    "VarlinkError",
    "SocketConnection",
    "Schema",
    "StringMap",
    "CallContext",
    "Method",
    "Map",
    "Promise",
    "Record",
  ])
    assert.ok(memberPool.includes(name), name);
  for (const name of ["class", "constructor", "toString", "hasOwnProperty", "valueOf", "value"])
    assert.ok(fieldPool.includes(name), name);
});

const distinct = <T>(pool: readonly T[], min: number, max: number): fc.Arbitrary<T[]> =>
  fc.uniqueArray(fc.constantFrom(...pool), { minLength: min, maxLength: max });

/** A type expression over the declared `names`, at most `depth` levels deep. */
function typeText(names: readonly string[], depth: number): fc.Arbitrary<string> {
  const leaves = fc.constantFrom("bool", "int", "float", "string", "object", "any", ...names);
  if (depth === 0) return leaves;
  const inner = typeText(names, depth - 1);
  return fc.oneof(
    { weight: 4, arbitrary: leaves },
    { weight: 1, arbitrary: inner.map((t) => `[]${t}`) },
    { weight: 1, arbitrary: inner.map((t) => `[string]${t}`) },
    { weight: 1, arbitrary: inner.filter((t) => !t.startsWith("?")).map((t) => `?${t}`) },
    { weight: 1, arbitrary: fc.constant("[string]()") },
    { weight: 1, arbitrary: distinct(fieldPool, 1, 3).map((values) => `(${values.join(", ")})`) },
    { weight: 1, arbitrary: structText(names, depth - 1) },
  );
}

function structText(names: readonly string[], depth: number, optional = false): fc.Arbitrary<string> {
  // Optional fields only: named after Object.prototype's members, which an object literal `{}` has.
  return distinct(optional ? prototypePool : fieldPool, optional ? 1 : 0, 4).chain((fields) =>
    fc
      .tuple(...fields.map(() => typeText(names, depth)))
      .map(
        (types) =>
          `(${fields.map((f, i) => `${f}: ${optional && !types[i]!.startsWith("?") ? "?" : ""}${types[i]}`).join(", ")})`,
      ),
  );
}

/**
 * An interface whose members all take clashing names. Of its two errors, one has only optional
 * parameters, so that its class may be made without any (`new E()`), named after
 * Object.prototype's members.
 */
const interfaceText = distinct(memberPool, 4, 9).chain((names) => {
  const typeCount = Math.max(1, Math.floor((names.length - 1) / 2));
  const types = names.slice(0, typeCount);
  const methods = names.slice(typeCount, names.length - 2);
  const errors = names.slice(-2);
  return fc
    .tuple(
      fc.tuple(...types.map(() => structText(types, 2))),
      fc.tuple(
        ...methods.map(() =>
          fc.tuple(
            structText(types, 1),
            structText(types, 1),
            fc.constantFrom("", "# [Supports 'more' flag]\n", "# [Requires 'more' flag]\n"),
          ),
        ),
      ),
      structText(types, 1),
      structText(types, 1, true),
    )
    .map(
      ([typeBodies, methodParts, errorBody, optionalErrorBody]) =>
        `${[
          "interface org.example.clash",
          ...types.map((name, i) => `type ${name} ${typeBodies[i]}`),
          ...methods.map(
            (name, i) => `${methodParts[i]![2]}method ${name}${methodParts[i]![0]} -> ${methodParts[i]![1]}`,
          ),
          `error ${errors[0]} ${errorBody}`,
          `error ${errors[1]} ${optionalErrorBody}`,
        ].join("\n\n")}\n`,
    );
});

test("random interfaces named after runtime exports, globals and reserved words compile under the strictest settings", async () => {
  const samples = fc.sample(interfaceText, { numRuns: 24, seed: 20261129 });
  // The names that once broke an error class made without parameters are among those tried.
  const optionalErrorFields = samples.flatMap((text) =>
    [...(/^error \w+ \((.*)\)$(?![\s\S]*^error)/m.exec(text)?.[1] ?? "").matchAll(/(\w+): \?/g)].map((m) => m[1]!),
  );
  for (const name of ["constructor", "valueOf", "hasOwnProperty", "toString"])
    assert.ok(optionalErrorFields.includes(name), `${name} is an optional error parameter in a sample`);
  const files: Array<{ path: string; content: string }> = [];
  for (const [index, text] of samples.entries()) {
    const { definition, diagnostics } = parseInterface(text);
    assert.deepEqual(
      diagnostics.filter((d) => d.severity === "error"),
      [],
      text,
    );
    for (const integers of ["number", "bigint"] as const) {
      const [file] = await generate([inputOf(definition!, `clash${index}.varlink`)], {
        index: false,
        prettier: null,
        integers,
      });
      files.push({ path: `${integers}/clash${index}.ts`, content: file!.content });
    }
  }
  const dir = projectWith(files);
  const result = typeCheck(
    dir,
    files.map((f) => f.path),
    strictestFlags,
  );
  assert.equal(result.status, 0, result.output);
});
