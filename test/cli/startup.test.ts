import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { modulesLoadedBy } from "../helpers/module-probe.js";
import { fixturesDir, repoRoot } from "../helpers/paths.js";

// A pre-commit hook runs `check` and `fmt` on every commit: they must not pay for the code
// generator's dependencies. The bundled binary is run with a resolve hook that logs every module.

function loadedBy(args: string[]): string[] {
  return modulesLoadedBy([path.join(repoRoot, "dist", "bin", "bin.js"), ...args], [0, 1]);
}

const spaceship = path.join(fixturesDir, "interfaces", "org.example.spaceship.varlink");

const loadsPrettier = (loaded: string[]): boolean => loaded.some((url) => url.includes("/node_modules/prettier/"));
/** prettier's formatter (parsers and printers), as opposed to its document printer alone. */
const loadsFormatter = (loaded: string[]): boolean =>
  loaded.some((url) => url.includes("/node_modules/prettier/index."));

test("check and fmt do not load prettier", () => {
  for (const args of [
    ["check", spaceship],
    ["fmt", "--check", spaceship],
  ]) {
    const loaded = loadedBy(args);
    assert.ok(
      loaded.some((url) => url.includes("/dist/bin/")),
      "the probe saw the binary",
    );
    assert.ok(
      !loadsPrettier(loaded),
      `${args[0]} loaded: ${loaded.filter((u) => u.includes("node_modules")).join(", ")}`,
    );
  }
});

/** Whether any module loaded holds the IDL parser (bundled, so it is found by what it contains). */
function loadsParser(loaded: string[]): boolean {
  return loaded.some(
    (url) => url.startsWith("file:") && readFileSync(fileURLToPath(url), "utf8").includes("performSelfAnalysis"),
  );
}

test("generate loads the parser and the layout engine only when it has to generate, and prettier's formatter only for a prettier configuration", () => {
  const out = mkdtempSync(path.join(tmpdir(), "varlink-ts-startup-out-"));
  // An empty generation cache, so that the first run has to generate.
  process.env["VARLINK_TS_CACHE_DIR"] = mkdtempSync(path.join(tmpdir(), "varlink-ts-startup-cache-"));
  const first = loadedBy(["generate", spaceship, "--out", out]);
  assert.ok(loadsParser(first), "the parser");
  assert.ok(
    first.some((url) => url.includes("/node_modules/prettier/doc.")),
    "prettier's document printer",
  );
  assert.ok(!loadsFormatter(first), "no formatter: nothing configures prettier there");
  const generated = readFileSync(path.join(out, "org.example.spaceship.ts"), "utf8");
  const cases = [
    ["generate", "--check", spaceship, "--out", out],
    ["generate", spaceship, "--out", out],
    // The output folder deleted (no files, no output record for what is there), every file still in the cache: nothing to parse either.
    ["generate", spaceship, "--out", out],
  ];
  for (const [i, args] of cases.entries()) {
    if (i === 2) rmSync(out, { recursive: true });
    const loaded = loadedBy(args);
    assert.ok(!loadsPrettier(loaded), `${args.join(" ")} loads no generator`);
    assert.ok(!loadsParser(loaded), `${args.join(" ")} does not load the parser`);
  }
  assert.equal(readFileSync(path.join(out, "org.example.spaceship.ts"), "utf8"), generated);
});

test("generate runs prettier itself where a prettier configuration applies", () => {
  const project = mkdtempSync(path.join(tmpdir(), "varlink-ts-startup-styled-"));
  writeFileSync(path.join(project, ".prettierrc"), '{ "singleQuote": true }');
  process.env["VARLINK_TS_CACHE_DIR"] = mkdtempSync(path.join(tmpdir(), "varlink-ts-startup-cache-"));
  const loaded = loadedBy(["generate", spaceship, "--out", path.join(project, "generated")]);
  assert.ok(loadsFormatter(loaded));
  assert.match(
    readFileSync(path.join(project, "generated", "org.example.spaceship.ts"), "utf8"),
    /from '@varlink-ts\/runtime\/codegen'/,
  );
});

test("ts-morph, and the TypeScript it carries, is loaded by derive alone", () => {
  const loadsTsMorph = (loaded: string[]): boolean => loaded.some((url) => url.includes("/node_modules/ts-morph/"));
  const out = mkdtempSync(path.join(tmpdir(), "varlink-ts-startup-derive-"));
  for (const args of [
    ["check", spaceship],
    ["fmt", "--check", spaceship],
    ["generate", spaceship, "--out", out, "--no-cache"],
    ["--version"],
  ]) {
    assert.ok(!loadsTsMorph(loadedBy(args)), `${args[0]} loads no ts-morph`);
  }
  assert.ok(
    loadsTsMorph(loadedBy(["derive", path.join(fixturesDir, "typescript", "shelf.ts"), "--out", out])),
    "derive does",
  );
});
