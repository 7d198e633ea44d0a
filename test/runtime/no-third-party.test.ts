import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { test } from "node:test";
import { repoRoot } from "../helpers/paths.js";

// The runtime is what generated code and users import at run time: it must load nothing
// but Node's standard library and its own files.

const heavy = ["chevrotain", "ts-morph", "prettier", "yargs"];

/** Every module URL that importing `entry` resolves, from a resolve hook in a fresh process. */
function modulesLoadedBy(entry: string): string[] {
  const dir = mkdtempSync(path.join(tmpdir(), "varlink-ts-load-"));
  const log = path.join(dir, "loaded.txt");
  const hooks = path.join(dir, "hooks.mjs");
  writeFileSync(
    hooks,
    `import { appendFileSync } from "node:fs";
export async function resolve(specifier, context, next) {
  const result = await next(specifier, context);
  appendFileSync(${JSON.stringify(log)}, result.url + "\\n");
  return result;
}`,
  );
  writeFileSync(log, "");
  const register = `import { register } from "node:module"; register(${JSON.stringify(pathToFileURL(hooks).href)});`;
  const result = spawnSync(process.execPath, ["--import", `data:text/javascript,${encodeURIComponent(register)}`, "--input-type=module", "-e", `await import(${JSON.stringify(pathToFileURL(entry).href)});`], {
    encoding: "utf8",
  });
  assert.equal(result.status, 0, result.stderr);
  return readFileSync(log, "utf8").split("\n").filter((line) => line !== "");
}

test("importing varlink-ts/runtime loads only node: builtins and runtime files", () => {
  const runtimeDir = path.join(repoRoot, "dist", "src", "runtime");
  const loaded = modulesLoadedBy(path.join(runtimeDir, "index.js"));
  assert.ok(loaded.length > 5, "the probe saw the runtime's own modules");
  const outside = loaded.filter((url) => !url.startsWith("node:") && !url.startsWith(pathToFileURL(runtimeDir).href));
  assert.deepEqual(outside, []);
  for (const name of heavy) assert.ok(!loaded.some((url) => url.includes(name)), `${name} was loaded`);
});

test("the probe does see third-party modules (control: the IDL front end loads chevrotain)", () => {
  const loaded = modulesLoadedBy(path.join(repoRoot, "dist", "src", "idl", "index.js"));
  assert.ok(loaded.some((url) => url.includes("/node_modules/chevrotain/")));
});

test("no runtime source file imports anything outside the runtime or node:", () => {
  const runtimeSrc = path.join(repoRoot, "src", "runtime");
  const files = readdirSync(runtimeSrc, { recursive: true, encoding: "utf8" }).filter((f) => f.endsWith(".ts"));
  for (const file of files) {
    const text = readFileSync(path.join(runtimeSrc, file), "utf8");
    for (const match of text.matchAll(/\bfrom\s+["']([^"']+)["']|\bimport\(\s*["']([^"']+)["']/g)) {
      const specifier = match[1] ?? match[2]!;
      const inside = specifier.startsWith("node:") || (specifier.startsWith(".") && path.resolve(path.dirname(path.join(runtimeSrc, file)), specifier).startsWith(runtimeSrc));
      assert.ok(inside, `${file} imports ${specifier}`);
    }
  }
});
