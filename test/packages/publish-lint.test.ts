import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import path from "node:path";
import { test } from "node:test";
import { packedPackages } from "../helpers/npm.js";
import { repoRoot } from "../helpers/paths.js";

// What npm would publish, checked by the tools package authors use: publint for the manifests
// (exports, files, types), and Are the Types Wrong for how every entry point resolves. Both
// packages are ESM only, by choice: attw's esm-only profile leaves out CommonJS and node10.

const bin = (name: string): string => path.join(repoRoot, "node_modules", ".bin", name);

for (const which of ["runtime", "toolchain", "unixFds"] as const) {
  test(`publint finds nothing to warn about in the packed ${which} package`, () => {
    const result = spawnSync(bin("publint"), ["run", packedPackages()[which], "--strict"], { encoding: "utf8" });
    assert.equal(result.status, 0, result.stdout + result.stderr);
    assert.match(result.stdout, /All good!/);
  });

  test(`every entry point of the packed ${which} package resolves with its types (attw)`, () => {
    const result = spawnSync(
      bin("attw"),
      [packedPackages()[which], "--profile", "esm-only", "--format", "table-flipped"],
      { encoding: "utf8" },
    );
    assert.equal(result.status, 0, result.stdout + result.stderr);
  });
}
