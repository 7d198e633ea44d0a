import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, test } from "node:test";
import { printInterface } from "@varlink-ts/runtime/model";
import { hasErrors, parseInterface, toInterfaceModel, type InterfaceDefinition } from "../../src/idl/index.js";
import { withoutPositions } from "../helpers/ast.js";
import { corpusFiles, corpusSkip, fixturesDir, updateGolden } from "../helpers/paths.js";

/** What `varlink-ts fmt` prints for a definition: its model, printed by the runtime. */
const formatInterface = (definition: InterfaceDefinition): string => printInterface(toInterfaceModel(definition));

/** Every comment's text, without the `#`, one optional space and trailing blanks, sorted. */
function commentTexts(text: string): string[] {
  return [...text.matchAll(/#([^\n\r\u2028\u2029]*)/g)].map((m) => m[1]!.replace(/^ /, "").trimEnd()).sort();
}

const formattable = [...corpusFiles("valid"), ...corpusFiles("invalid/disputed")].filter(
  (file) => parseInterface(file.text).definition !== undefined,
);

describe("fmt on the whole corpus", { skip: corpusSkip }, () => {
  for (const file of formattable) {
    test(file.name, () => {
      const first = parseInterface(file.text);
      const once = formatInterface(first.definition!);
      const second = parseInterface(once);
      assert.equal(hasErrors(second.diagnostics), hasErrors(first.diagnostics), "formatting changes no verdict");
      const twice = formatInterface(second.definition!);
      assert.equal(twice, once, "format(format(x)) == format(x)");
      assert.deepEqual(commentTexts(once), commentTexts(file.text), "every comment is kept");
      assert.deepEqual(
        withoutPositions(second.definition),
        withoutPositions(first.definition),
        "parse(format(x)) == parse(x)",
      );
    });
  }
});

// fmt's bytes for every corpus file, as digests (the corpus lives beside the checkout, not in
// it): a change to the printer that moves one byte of its output shows here, file by file.
// UPDATE_GOLDEN=1 rewrites the list when a change of style is meant.
test("fmt prints every corpus file as recorded", { skip: corpusSkip }, () => {
  const golden = path.join(fixturesDir, "formatted", "corpus.sha256");
  const digest = (text: string): string => createHash("sha256").update(text).digest("hex");
  const actual = formattable
    .map((file) => `${digest(formatInterface(parseInterface(file.text).definition!))}  ${file.name}\n`)
    .join("");
  if (updateGolden) {
    mkdirSync(path.dirname(golden), { recursive: true });
    writeFileSync(golden, actual);
  }
  assert.equal(actual, readFileSync(golden, "utf8"));
});

describe("canonical style", () => {
  const format = (text: string): string => formatInterface(parseInterface(text).definition!);

  test("one blank line between members, two-space indent, final newline", () => {
    const text = "interface   org.example.a\ntype  T(a:int,b:  ?[]string)\n\n\n\nmethod M ( x : T ) -> ( )\nerror E()";
    assert.equal(
      format(text),
      "interface org.example.a\n\ntype T (a: int, b: ?[]string)\n\nmethod M(x: T) -> ()\n\nerror E ()\n",
    );
  });

  test("a list that does not fit in 80 columns breaks one entry per line", () => {
    const fields = Array.from({ length: 8 }, (_, i) => `field_number_${i}: string`).join(", ");
    const out = format(`interface a.b\nmethod M(${fields}) -> ()\n`);
    assert.ok(
      out.split("\n").every((line) => line.length <= 80),
      out,
    );
    assert.match(out, /^method M\(\n {2}field_number_0: string,\n/m);
    assert.match(out, /\n\) -> \(\)\n$/);
  });

  test("documentation gets one space after '#'; detached comments stay detached", () => {
    const out = format(
      "# license header\n\n#Doc of the interface\ninterface a.b\n# doc of M\nmethod M() -> () # trailing\n# end\n",
    );
    assert.equal(
      out,
      "# license header\n\n# Doc of the interface\ninterface a.b\n\n# doc of M\nmethod M() -> () # trailing\n\n# end\n",
    );
  });

  test("comments inside a set's '()' keep it broken", () => {
    const out = format("interface a.b\ntype T (m: [string](\n# none yet\n), n: [string]())\n");
    assert.equal(out, "interface a.b\n\ntype T (\n  m: [string](\n    # none yet\n  ),\n  n: [string]()\n)\n");
  });

  test("comments inside a list keep it broken", () => {
    const out = format("interface a.b\ntype T (\n# the x\nx: int, # after x\ny: int\n# closing\n)\n");
    assert.equal(out, "interface a.b\n\ntype T (\n  # the x\n  x: int, # after x\n  y: int\n  # closing\n)\n");
  });
});
