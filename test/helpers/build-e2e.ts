// `npm run build:e2e`, after `npm run build`: generates test/generated from our fixtures (and
// from the shared corpus's interfaces where the corpus is), then compiles the end-to-end tests
// built on that code. Without the corpus, the tests built on its interfaces are not compiled;
// test/packages/e2e-build.test.ts reports them as skipped.
import { spawnSync } from "node:child_process";
import { rmSync } from "node:fs";
import path from "node:path";
import { corpusDir, corpusSkip, repoRoot } from "./paths.js";

/** The interfaces of the shared corpus that end-to-end tests are built on. */
export const corpusInterfaces = ["org.varlink.certification.varlink", "io.systemd.UserDatabase.varlink"];

function step(command: string, args: string[]): void {
  const result = spawnSync(command, args, { cwd: repoRoot, stdio: "inherit" });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

function main(): void {
  const bin = path.join(repoRoot, "dist", "bin", "bin.js");
  const tsc = path.join(repoRoot, "node_modules", "typescript", "bin", "tsc");
  rmSync(path.join(repoRoot, "test", "generated"), { recursive: true, force: true });
  const corpus = corpusSkip ? [] : corpusInterfaces.map((name) => path.join(corpusDir, "valid", name));
  step(process.execPath, [bin, "generate", ...corpus, "fixtures/interfaces/*.varlink", "--out", "test/generated"]);
  step(process.execPath, [
    bin,
    "generate",
    "fixtures/interfaces/org.example.integers.varlink",
    "--integers",
    "bigint",
    "--out",
    "test/generated/bigint",
  ]);
  step(process.execPath, [tsc, "-p", "test/e2e/tsconfig.json"]);
  if (corpusSkip) console.log(`build:e2e: the tests built on the corpus's interfaces are not compiled: ${corpusSkip}`);
  else step(process.execPath, [tsc, "-p", "test/e2e/tsconfig.corpus.json"]);
}

if (process.argv[1] === import.meta.filename) main();
