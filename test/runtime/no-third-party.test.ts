import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { test } from "node:test";
import { modulesLoadedBy } from "../helpers/module-probe.js";
import { repoRoot } from "../helpers/paths.js";

// The runtime is what generated code and users import at run time: it must load nothing
// but Node's standard library and its own files.

const heavy = ["chevrotain", "prettier", "yargs"];

/** Every module URL that importing `entry` resolves, in a fresh process. */
function modulesLoadedByImporting(entry: string): string[] {
  return modulesLoadedBy(["--input-type=module", "-e", `await import(${JSON.stringify(pathToFileURL(entry).href)});`]);
}

test("importing @varlink-ts/runtime loads only node: builtins and runtime files", () => {
  const runtimeDir = path.join(repoRoot, "src", "runtime", "dist");
  const loaded = modulesLoadedByImporting(path.join(runtimeDir, "index.js"));
  assert.ok(loaded.length > 5, "the probe saw the runtime's own modules");
  const outside = loaded.filter((url) => !url.startsWith("node:") && !url.startsWith(pathToFileURL(runtimeDir).href));
  assert.deepEqual(outside, []);
  for (const name of heavy) assert.ok(!loaded.some((url) => url.includes(name)), `${name} was loaded`);
});

test("the probe does see third-party modules (control: the IDL front end loads chevrotain)", () => {
  const loaded = modulesLoadedByImporting(path.join(repoRoot, "dist", "src", "idl", "index.js"));
  assert.ok(loaded.some((url) => url.includes("/node_modules/chevrotain/")));
});

test("no runtime source file imports anything outside the runtime or node:", () => {
  const runtimeSrc = path.join(repoRoot, "src", "runtime");
  const files = readdirSync(runtimeSrc, { recursive: true, encoding: "utf8" }).filter(
    (f) => f.endsWith(".ts") && !f.startsWith("dist"),
  );
  for (const file of files) {
    const text = readFileSync(path.join(runtimeSrc, file), "utf8");
    for (const match of text.matchAll(/\bfrom\s+["']([^"']+)["']|\bimport\(\s*["']([^"']+)["']/g)) {
      const specifier = match[1] ?? match[2]!;
      const inside =
        specifier.startsWith("node:") ||
        (specifier.startsWith(".") &&
          path.resolve(path.dirname(path.join(runtimeSrc, file)), specifier).startsWith(runtimeSrc));
      assert.ok(inside, `${file} imports ${specifier}`);
    }
  }
});
