import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
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

test("check and fmt load neither ts-morph nor prettier", () => {
  for (const args of [["check", spaceship], ["fmt", "--check", spaceship]]) {
    const loaded = loadedBy(args);
    assert.ok(loaded.some((url) => url.includes("/dist/bin/")), "the probe saw the binary");
    assert.ok(!loaded.some((url) => url.includes("ts-morph") || url.includes("prettier")), `${args[0]} loaded: ${loaded.filter((u) => u.includes("node_modules")).join(", ")}`);
  }
});

/** Whether any module loaded holds the IDL parser (bundled, so it is found by what it contains). */
function loadsParser(loaded: string[]): boolean {
  return loaded.some((url) => url.startsWith("file:") && readFileSync(fileURLToPath(url), "utf8").includes("performSelfAnalysis"));
}

test("generate loads the parser, ts-morph and prettier only when it has to generate", () => {
  const out = mkdtempSync(path.join(tmpdir(), "varlink-ts-startup-out-"));
  // An empty generation cache, so that the first run has to generate.
  process.env["VARLINK_TS_CACHE_DIR"] = mkdtempSync(path.join(tmpdir(), "varlink-ts-startup-cache-"));
  const first = loadedBy(["generate", spaceship, "--out", out]);
  assert.ok(first.some((url) => url.includes("ts-morph")) && first.some((url) => url.includes("prettier")) && loadsParser(first));
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
    const heavy = loaded.filter((url) => url.includes("ts-morph") || url.includes("prettier"));
    assert.deepEqual(heavy, [], `${args.join(" ")} loads no generator`);
    assert.ok(!loadsParser(loaded), `${args.join(" ")} does not load the parser`);
  }
  assert.equal(readFileSync(path.join(out, "org.example.spaceship.ts"), "utf8"), generated);
});
