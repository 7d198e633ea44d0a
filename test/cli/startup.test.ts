import assert from "node:assert/strict";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { test } from "node:test";
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

test("generate loads them only when it has to generate", () => {
  const out = mkdtempSync(path.join(tmpdir(), "varlink-ts-startup-out-"));
  // An empty generation cache, so that the first run has to generate.
  process.env["VARLINK_TS_CACHE_DIR"] = mkdtempSync(path.join(tmpdir(), "varlink-ts-startup-cache-"));
  assert.ok(loadedBy(["generate", spaceship, "--out", out]).some((url) => url.includes("ts-morph")));
  for (const args of [["generate", "--check", spaceship, "--out", out], ["generate", spaceship, "--out", out]]) {
    const loaded = loadedBy(args);
    assert.ok(!loaded.some((url) => url.includes("ts-morph")), `an up-to-date ${args.join(" ")} does not load the generator`);
  }
});
