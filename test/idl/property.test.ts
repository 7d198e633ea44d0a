import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { printInterface } from "@varlink-ts/runtime/model";
import { parseInterface, toInterfaceModel } from "../../src/idl/index.js";
import { withoutPositions } from "../helpers/ast.js";
import { corpusFiles, corpusSkip } from "../helpers/paths.js";
import { interfaceDefinition } from "./arbitraries.js";

test("random valid interfaces print and parse back equal", () => {
  fc.assert(
    fc.property(interfaceDefinition, (definition) => {
      const text = printInterface(toInterfaceModel(definition));
      const parsed = parseInterface(text);
      assert.deepEqual(
        parsed.diagnostics.map((d) => `${d.code}: ${d.message}`),
        [],
        text,
      );
      assert.deepEqual(withoutPositions(parsed.definition), withoutPositions(definition), text);
      assert.equal(printInterface(toInterfaceModel(parsed.definition!)), text, "formatting is idempotent");
    }),
    { numRuns: 300 },
  );
});

const corpus = corpusFiles("valid").map((f) => f.text);
const fragments = [
  "(",
  ")",
  ",",
  ":",
  "?",
  "[]",
  "[string]",
  "#",
  "\n",
  "->",
  "type ",
  "method ",
  "error ",
  "interface ",
  "\0",
  "é",
  "\r",
  "[",
  "]",
  "((((",
  "))))",
  "\u2028",
];

/** A corpus file with a few random edits: deletions, insertions of grammar fragments, repeats. */
const mutatedCorpusFile = () =>
  fc
    .tuple(
      fc.constantFrom(...corpus),
      fc.array(
        fc.tuple(
          fc.nat(),
          fc.nat({ max: 12 }),
          fc.constantFrom("delete", "insert", "repeat"),
          fc.constantFrom(...fragments),
        ),
        {
          minLength: 1,
          maxLength: 6,
        },
      ),
    )
    .map(([text, edits]) =>
      edits.reduce((t, [at, length, op, fragment]) => {
        const i = at % (t.length + 1);
        if (op === "delete") return t.slice(0, i) + t.slice(i + length);
        if (op === "insert") return t.slice(0, i) + fragment + t.slice(i);
        return t.slice(0, i) + t.slice(i, i + length).repeat(4) + t.slice(i);
      }, text),
    );

test("random mutations of corpus files never make the parser throw", { skip: corpusSkip }, () => {
  fc.assert(
    fc.property(mutatedCorpusFile(), fc.boolean(), (text, lint) => {
      const result = parseInterface(text, { lint });
      for (const d of result.diagnostics) {
        assert.ok(
          d.range.start.offset <= d.range.end.offset && d.range.end.offset <= text.length,
          "ranges stay inside the text",
        );
      }
    }),
    { numRuns: 1500 },
  );
});

/** The fastest of several runs, in milliseconds: the least noisy estimate on a shared machine. */
function fastestParse(text: string): number {
  let best = Number.POSITIVE_INFINITY;
  for (let i = 0; i < 5; i++) {
    const start = performance.now();
    parseInterface(text, { lint: true });
    best = Math.min(best, performance.now() - start);
  }
  return best;
}

test("parsing mutated input stays linear in its size", { skip: corpusSkip }, () => {
  // Sixteen times the input must cost far less than 16² times the time: a quadratic path
  // would show as a ratio near 256; linear work measures 19-32 here (GC included). The bound leaves room for noise.
  const samples = fc.sample(mutatedCorpusFile(), { numRuns: 12, seed: 42 });
  for (const sample of samples) {
    const small = sample.repeat(Math.max(1, Math.ceil(2000 / (sample.length + 1))));
    const large = small.repeat(16);
    fastestParse(small); // warm up the parser's code paths
    const ratio = fastestParse(large) / Math.max(fastestParse(small), 0.05);
    assert.ok(
      ratio < 100,
      `16x the input took ${ratio.toFixed(1)}x the time (size ${small.length} -> ${large.length})`,
    );
  }
});
