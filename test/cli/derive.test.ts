import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, test } from "node:test";
import { cliProcess } from "../helpers/cli.js";
import { fixturesDir } from "../helpers/paths.js";
import { projectWith, typeCheck } from "../helpers/typecheck.js";
import { demoInterfaceText } from "../helpers/demo-interface.js";

// `varlink-ts derive`: interfaces written as TypeScript declarations become .varlink files.

const folder = (): string => mkdtempSync(path.join(tmpdir(), "varlink-ts-derive-"));

/** Derives `source` (a TypeScript file's text) and returns the run and what it wrote. */
async function derive(
  source: string,
  flags: string[] = [],
): Promise<{ code: number; stderr: string; written: (name: string) => string }> {
  const dir = folder();
  writeFileSync(path.join(dir, "api.ts"), source);
  const run = await cliProcess(["derive", "api.ts", "--out", "out", ...flags], { cwd: dir });
  return { ...run, written: (name) => readFileSync(path.join(dir, "out", `${name}.varlink`), "utf8") };
}

const demoClass = `import type { Int } from "@varlink-ts/runtime";

/**
 * asyncvarlink's demo interface, code first.
 * @varlink org.example.demo
 */
export class Demo {
  /** Which way the value points, reversed. */
  Reverse({ value }: { value: "left" | "right" }): { direction: "left" | "right" } {
    return { direction: value === "left" ? "right" : "left" };
  }

  /**
   * Counts from 0 to count - 1, one reply each.
   * @requiresMore
   */
  async *Range({ count }: { count: Int }): AsyncGenerator<{ value: Int }> {
    for (let value = 0; value < count; value++) yield { value };
  }

  /** Waits \`delay\` seconds. */
  async Sleep({ delay }: { delay: number }): Promise<void> {
    await new Promise((resolve) => setTimeout(resolve, delay * 1000));
  }
}
`;

describe("varlink-ts derive", () => {
  test("asyncvarlink's demo, written as a class, gives the interface defineInterface gives", async () => {
    const { code, stderr, written } = await derive(demoClass);
    assert.equal(code, 0, stderr);
    assert.equal(written("org.example.demo"), demoInterfaceText);
    assert.match(stderr, /^api\.ts:22:35 - warning derive-float: a bare `number` is taken as float/m);
  });

  test("every row of the mapping table (fixtures/typescript/library.ts)", async () => {
    const dir = folder();
    const run = await cliProcess(["derive", path.join(fixturesDir, "typescript", "library.ts"), "--out", dir]);
    assert.equal(run.code, 0, run.stderr);
    const text = readFileSync(path.join(dir, "org.example.library.varlink"), "utf8");
    for (const line of [
      "type Place (left, right)",
      "type Cover (hard, soft)",
      "  year: int,",
      "  pages: int,",
      "  price: float,",
      "  read: bool,",
      "  subtitle: ?string,",
      "  editor: ?string,",
      "  translator: ?string,",
      "  tags: []string,",
      "  notes: []string,",
      "  ratings: [string]int,",
      "  shelves: [string]int,",
      "  editions: [string]int,",
      "  labels: [string](),",
      "  extra: any,",
      "  meta: object,",
      "  raw: any,",
      "  size: (width: float, height: float)",
      "# Finds a book by its title.\nmethod Find(title: string) -> (book: ?Book)",
      "# [Supports 'more' flag]\nmethod List(place: ?Place) -> (book: Book)",
      "method Add(book: Book) -> ()",
      "# No book has that title.\nerror NotFound (title: string)",
    ]) {
      assert.ok(text.includes(line), `${JSON.stringify(line)} in\n${text}`);
    }
    assert.match(text, /^# A book on the shelf\.\ntype Book \(\n {2}# The title, as printed\.\n {2}title: string,/m);
  });

  test("a handwritten service's handlers are the Handlers generated from the interface derived from it", async () => {
    const dir = folder();
    const source = path.join(fixturesDir, "typescript", "shelf.ts");
    const derived = await cliProcess(["derive", source, "--out", dir]);
    assert.equal(derived.code, 0, derived.stderr);
    const generated = await cliProcess([
      "generate",
      path.join(dir, "org.example.shelf.varlink"),
      "--out",
      path.join(dir, "generated"),
      "--no-cache",
      "--no-index",
    ]);
    assert.equal(generated.code, 0, generated.stderr);
    const project = projectWith([
      { path: "shelf.ts", content: readFileSync(source, "utf8") },
      {
        path: "generated/org.example.shelf.ts",
        content: readFileSync(path.join(dir, "generated", "org.example.shelf.ts"), "utf8"),
      },
      {
        path: "check.ts",
        content: [
          'import { implementInterface } from "@varlink-ts/runtime";',
          'import { Shelf, type ShelfHandlers } from "./generated/org.example.shelf.js";',
          'import { ShelfService } from "./shelf.js";',
          "const handlers: ShelfHandlers = new ShelfService();",
          "export const served = implementInterface(Shelf, handlers);",
          "",
        ].join("\n"),
      },
    ]);
    const checked = typeCheck(project, ["check.ts"], ["--strict", "--exactOptionalPropertyTypes"]);
    assert.equal(checked.status, 0, checked.output);
  });

  test("types varlink cannot say are errors at their position, and nothing is written", async () => {
    const { code, stderr } = await derive(`/** @varlink org.example.bad */
export interface Bad {
  Union(parameters: { value: string | number }): void;
  Tuple(parameters: { pair: [string, number] }): void;
  When(parameters: { at: Date }): void;
  Lookup(parameters: { table: Map<string, string> }): void;
  Anything(parameters: { value: any }): void;
  Open<T>(parameters: { value: T }): void;
  NoReply(parameters: { value: string });
}
`);
    assert.equal(code, 1);
    for (const expected of [
      /api\.ts:3:\d+ - error derive-unsupported-type: a union of string \| number/,
      /api\.ts:4:\d+ - error derive-unsupported-type: a tuple/,
      /api\.ts:5:\d+ - error derive-unsupported-type: Date is not JSON: send a timestamp/,
      /api\.ts:6:\d+ - error derive-unsupported-type: Map is not JSON: use Record<string, T>/,
      /api\.ts:7:\d+ - error derive-unsupported-type: `any` says nothing/,
      /api\.ts:8:\d+ - error derive-unsupported-type: 'T' is a type parameter/,
      /api\.ts:9:\d+ - error derive-method: NoReply needs a return type annotation/,
    ]) {
      assert.match(stderr, expected);
    }
  });

  test("names varlink does not allow, and types that are not data, are errors", async () => {
    const { code, stderr } = await derive(`/** @varlink org.example.names */
export interface Names {
  lowercase(parameters: { value: string }): void;
  Field(parameters: { "two words": string }): void;
  Holder(parameters: { value: Holder }): void;
}
export class Holder {
  value = 1;
}
`);
    assert.equal(code, 1);
    assert.match(stderr, /api\.ts:3:\d+ - error derive-name: 'lowercase' is not a varlink method name/);
    assert.match(stderr, /api\.ts:4:\d+ - error derive-name: 'two words' is not a varlink field name/);
    assert.match(
      stderr,
      /api\.ts:5:\d+ - error derive-named-type: 'Holder' is a ClassDeclaration, not a type varlink can say/,
    );
  });

  test("an alias of a primitive stands for it: varlink has no such aliases", async () => {
    const { code, stderr, written } = await derive(`/** @varlink org.example.alias */
export interface Aliased {
  Get(parameters: { id: Id }): { name: string };
}
/** An identifier. */
export type Id = string;
`);
    assert.equal(code, 0, stderr);
    assert.match(written("org.example.alias"), /^method Get\(id: string\) -> \(name: string\)$/m);
  });

  test("the runtime's Float is float, without the warning a bare number gets", async () => {
    const { code, stderr, written } = await derive(`import type { Float } from "@varlink-ts/runtime";
/** @varlink org.example.float */
export interface Floats {
  Sleep(parameters: { delay: Float }): void;
}
`);
    assert.equal(code, 0, stderr);
    assert.doesNotMatch(stderr, /derive-float/);
    assert.match(written("org.example.float"), /^method Sleep\(delay: float\) -> \(\)$/m);
  });

  test("a type tagged @anonymous is written in place, not declared", async () => {
    const { code, stderr, written } = await derive(`/** @varlink org.example.anonymous */
export interface Sizes {
  Measure(parameters: { size: Size }): { fits: Fit };
}
/** @anonymous */
export interface Size { width: bigint; height: bigint }
/** @anonymous */
export type Fit = "yes" | "no";
`);
    assert.equal(code, 0, stderr);
    assert.equal(
      written("org.example.anonymous"),
      "interface org.example.anonymous\n\nmethod Measure(size: (width: int, height: int)) -> (fits: (yes, no))\n",
    );
  });

  test("line comments and enum values' documentation carry over to the interface text", async () => {
    const { code, stderr, written } = await derive(`/** @varlink org.example.comments */
export interface Paint {
  // apart from the method
  Mix(parameters: { colour: Colour }): void; // at the end of its line
}
export type Colour =
  /** Like a tomato. */
  | "red"
  | "blue"; // the last value's
`);
    assert.equal(code, 0, stderr);
    // A `//` comment is not documentation: a blank line keeps it from becoming the method's doc.
    assert.equal(
      written("org.example.comments"),
      [
        "interface org.example.comments",
        "",
        "type Colour (",
        "  # Like a tomato.",
        "  red,",
        "  blue # the last value's",
        ")",
        "",
        "# apart from the method",
        "",
        "method Mix(colour: Colour) -> () # at the end of its line",
        "",
      ].join("\n"),
    );
  });

  test("--strict-numbers makes a bare number an error", async () => {
    const { code, stderr } = await derive(demoClass, ["--strict-numbers"]);
    assert.equal(code, 1);
    assert.match(stderr, /error derive-unsupported-type: a bare number: write the runtime's Int/);
  });

  test("--check writes nothing and exits 1 on a stale file", async () => {
    const dir = folder();
    writeFileSync(path.join(dir, "api.ts"), demoClass);
    assert.equal((await cliProcess(["derive", "api.ts", "--out", "out"], { cwd: dir })).code, 0);
    assert.equal((await cliProcess(["derive", "api.ts", "--out", "out", "--check"], { cwd: dir })).code, 0);
    writeFileSync(path.join(dir, "api.ts"), demoClass.replace("Waits", "Sleeps"));
    const stale = await cliProcess(["derive", "api.ts", "--out", "out", "--check"], { cwd: dir });
    assert.equal(stale.code, 1);
    assert.match(stale.stderr, /stale: out\/org\.example\.demo\.varlink/);
  });

  test("one run reports every type a method cannot have, and nothing about a file it did not write", async () => {
    const { code, stderr } = await derive(`/** @varlink org.example.bad */
export interface Bad {
  When(p: { at: Date; either: string | number; table: Map<string, string> }): void;
}
`);
    assert.equal(code, 1);
    assert.deepEqual(
      [...stderr.matchAll(/^(\S+):\d+:\d+ - error ([\w-]+)/gm)].map((m) => `${m[1]} ${m[2]}`),
      ["api.ts derive-unsupported-type", "api.ts derive-unsupported-type", "api.ts derive-unsupported-type"],
    );
  });

  test("a file without a marked interface says how to mark one", async () => {
    const { code, stderr } = await derive("export interface Plain { M(): void }\n");
    assert.equal(code, 1);
    assert.match(stderr, /error derive-no-interface: .*\/\*\* @varlink org\.example\.demo \*\//);
  });
});
