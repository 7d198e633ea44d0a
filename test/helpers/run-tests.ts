// `npm test` and `npm run test:unit`: node --test over the compiled tests, with the summary
// reporter. `--unit` is the fast inner loop: it leaves out what needs `build:e2e` (test/e2e and
// the check that it was built) and what packs or installs the packages (minutes of npm).
import { spawnSync } from "node:child_process";
import { readdirSync } from "node:fs";
import path from "node:path";
import { repoRoot } from "./paths.js";

const testsDir = path.join(repoRoot, "dist", "test");

/** Compiled test files that `--unit` leaves out, relative to dist/test. */
const slowOrBuilt = [
  "e2e/",
  "packages/e2e-build.test.js",
  "packages/fresh-clone.test.js",
  "packages/packages.test.js",
  "packages/publish-lint.test.js",
];

/** Every compiled test file, sorted, relative to dist/test. */
export function testFiles(unit: boolean): string[] {
  const files = readdirSync(testsDir, { recursive: true, encoding: "utf8" })
    .map((file) => file.split(path.sep).join("/"))
    .filter((file) => file.endsWith(".test.js"));
  return files
    .filter(
      (file) => !unit || !slowOrBuilt.some((left) => file === left || (left.endsWith("/") && file.startsWith(left))),
    )
    .sort();
}

function main(): void {
  const unit = process.argv.includes("--unit");
  const reporters = [
    "--test-reporter=spec",
    "--test-reporter-destination=stdout",
    `--test-reporter=${path.join(testsDir, "helpers", "summary-reporter.js")}`,
    "--test-reporter-destination=stdout",
  ];
  const files = testFiles(unit).map((file) => path.join("dist", "test", file));
  const result = spawnSync(process.execPath, ["--test", ...reporters, ...files], { cwd: repoRoot, stdio: "inherit" });
  process.exitCode = result.status ?? 1;
}

if (process.argv[1] === import.meta.filename) main();
