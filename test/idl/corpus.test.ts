import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, test } from "node:test";
import { parseInterface, type Diagnostic, type DiagnosticCode } from "../../src/idl/index.js";
import { corpusDir, corpusFiles, corpusSkip } from "../helpers/paths.js";

// The shared corpus holds real files. The tests iterate its folders, so files added later
// are covered without touching this file.

function errors(diagnostics: Diagnostic[]): Diagnostic[] {
  return diagnostics.filter((d) => d.severity === "error");
}

function describeAll(diagnostics: Diagnostic[]): string {
  return diagnostics.map((d) => `${d.range.start.line}:${d.range.start.column} ${d.code}: ${d.message}`).join("\n");
}

// Tests elsewhere read the corpus beside fixtures and pass on fixtures alone where it is absent:
// this one says so by skipping, and fails where the corpus is present but emptied.
test("the corpus holds real files in each folder", { skip: corpusSkip }, () => {
  for (const folder of ["valid", "invalid", "invalid/disputed"])
    assert.ok(corpusFiles(folder).length > 0, `${folder} has .varlink files`);
  assert.ok(corpusFiles("valid").length >= 50, "valid/ holds the real-world files");
});

describe("corpus: valid files check clean", { skip: corpusSkip }, () => {
  for (const file of corpusFiles("valid")) {
    test(file.name, () => {
      const { definition, diagnostics } = parseInterface(file.text, { file: file.name });
      assert.deepEqual(describeAll(errors(diagnostics)), "");
      assert.ok(definition, "an AST is built");
      assert.equal(definition.source, file.text, "the exact text is kept");
      const expectedName = file.name.replace(/(@[^/]*)?\.varlink$/, "");
      if (/^[a-z0-9.-]+$/i.test(expectedName) && expectedName.split(".").length > 1) {
        // Files are named after their interface (with an optional @source suffix).
        assert.equal(definition.name.toLowerCase(), expectedName.toLowerCase());
      }
    });
  }
});

describe("corpus: disputed files are accepted (the lint may warn)", { skip: corpusSkip }, () => {
  for (const file of corpusFiles("invalid/disputed")) {
    test(file.name, () => {
      for (const lint of [false, true]) {
        const { definition, diagnostics } = parseInterface(file.text, { file: file.name, lint });
        assert.equal(describeAll(errors(diagnostics)), "");
        assert.ok(definition);
      }
    });
  }
});

/** The README's reason for a file, mapped to the diagnostic codes that reason calls for. */
const reasonToCodes: Array<[RegExp, DiagnosticCode[]]> = [
  // First match wins: the 2017 syntax also has postfix arrays, but the missing header comes first.
  [
    /misspelled keyword "interfacef"|no interface declaration|empty document|pre-release 2017 syntax/,
    ["missing-interface"],
  ],
  [/output struct field has ":" but no type/, ["syntax-error"]],
  [/invalid interface name|not allowed in interface names/, ["invalid-interface-name"]],
  [/postfix/, ["postfix-array"]],
  [/space inside "\[ \]"|sized array "\[|array "\[ 1 1 \]|map key type other than string/, ["invalid-type-prefix"]],
  [/field name starts with "_"|non-ASCII letter in field name/, ["invalid-field-name"]],
  [/enum values mixed with a typed field/, ["mixed-struct-enum"]],
  [/double nullable/, ["double-nullable"]],
  [/not closed/, ["unexpected-end"]],
  [/has no name/, ["missing-name"]],
  [
    /method has no (input|output) struct|method (input|output) is not a struct|method input is a named type/,
    ["method-not-struct"],
  ],
  [/instead of "->"/, ["syntax-error"]],
  [/unknown keyword after members|unknown words after the last member|"typeFoo" is not a keyword/, ["unknown-keyword"]],
  [/types Type\/Method are not defined|references the undefined type/, ["undefined-type"]],
  [/unresolved type "foo"/, ["undefined-type", "duplicate-field"]],
  [/duplicate (type|method|error) name|duplicate type and method names/, ["duplicate-member"]],
  [/duplicate field name/, ["duplicate-field"]],
  [/error without a struct/, ["error-not-struct"]],
  [/type must be a struct or enum/, ["type-not-struct-or-enum"]],
  [/method name (must start uppercase|starts with)/, ["invalid-member-name"]],
  [/interface without any member/, ["no-members"]],
  [/NUL bytes/, ["invalid-character"]],
];

function readmeReasons(): Map<string, string> {
  const readme = readFileSync(path.join(corpusDir, "invalid", "README.md"), "utf8");
  const reasons = new Map<string, string>();
  for (const match of readme.matchAll(/^\| `([^`]+\.varlink)` \| ([^|]+) \|/gm))
    reasons.set(match[1]!, match[2]!.trim());
  return reasons;
}

describe("corpus: invalid files are rejected for the reason the README gives", { skip: corpusSkip }, () => {
  const reasons = readmeReasons();
  for (const file of corpusFiles("invalid")) {
    test(file.name, () => {
      const reason = reasons.get(file.name);
      assert.ok(reason, `invalid/README.md gives no reason for ${file.name}`);
      const expected = reasonToCodes.find(([pattern]) => pattern.test(reason))?.[1];
      assert.ok(expected, `no diagnostic code is mapped for the reason "${reason}": extend reasonToCodes`);
      const { diagnostics } = parseInterface(file.text, { file: file.name });
      const found = new Set(errors(diagnostics).map((d) => d.code));
      for (const code of expected)
        assert.ok(found.has(code), `expected ${code} for "${reason}", got:\n${describeAll(diagnostics)}`);
    });
  }
});

// Moved from valid/: every name in it resolves but one, so exactly one error must come, there.
test("undefined-type-lucky.rpc.varlink: only its undeclared 'String' on line 17 is an error", {
  skip: corpusSkip,
}, () => {
  const file = corpusFiles("invalid").find((f) => f.name === "undefined-type-lucky.rpc.varlink");
  assert.ok(file, "the moved file is in invalid/");
  const found = errors(parseInterface(file.text, { file: file.name }).diagnostics);
  assert.equal(found.length, 1, describeAll(found));
  assert.equal(found[0]!.code, "undefined-type");
  assert.equal(found[0]!.range.start.line, 17);
  assert.match(found[0]!.message, /'String'/);
});
