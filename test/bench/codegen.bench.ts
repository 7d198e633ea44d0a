import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { formatTypeScript } from "../../src/codegen/print.js";
import { corpusFiles, repoRoot } from "../helpers/paths.js";
import { alternate, goGeneratorLoop, median, timeCommand } from "./measure.js";
import { commandExists } from "../helpers/peers.js";

// npm run bench:codegen: the cold wall time of `varlink-ts generate` on the whole corpus (a new
// process, the output folder deleted) next to varlink-go-interface-generator run once per file
// (as a hook would), in the same run: once with an empty generation cache and once with the
// cache an earlier run left; then `generate --check` with nothing stale. The last line is the
// floor an empty cache cannot go below: prettier alone, warm and in one process, formatting
// the output that the run wrote.

const cli = path.join(repoRoot, "dist", "bin", "bin.js");
const goGenerator = "varlink-go-interface-generator";
// As one project would hold the corpus: org.example.calc differs from org.example.Calc only in
// case, no project holds both, and generate refuses the pair, so it is left out and one
// generate process covers the rest.
const files = corpusFiles("valid").filter((f) => f.name !== "org.example.calc.varlink");
const paths = files.map((f) => f.path);

const work = mkdtempSync(path.join(tmpdir(), "varlink-bench-codegen-"));
const out = path.join(work, "out");
const cacheDir = path.join(work, "cache");
const env = { ...process.env, VARLINK_TS_CACHE_DIR: cacheDir };
const generateAll = (emptyCache: boolean) => (): number => {
  if (emptyCache) rmSync(cacheDir, { recursive: true, force: true });
  rmSync(out, { recursive: true, force: true });
  return timeCommand(process.execPath, [cli, "generate", ...paths, "--out", out], { env });
};
const checkAll = (): number => timeCommand(process.execPath, [cli, "generate", "--check", ...paths, "--out", out], { env });

if (!commandExists(goGenerator)) {
  console.log(`${goGenerator} is not installed (Debian package varlink-go): nothing to compare with`);
  process.exitCode = 1;
} else {
  const go = goGeneratorLoop(path.join(work, "go"), files.map((f) => f.path));
  generateAll(true)();
  // "cached" runs after "cold", so it finds the cache that run filled.
  const medians = alternate({ cold: generateAll(true), cached: generateAll(false), check: checkAll, go }, 5);
  const ratio = (name: string): string => (medians[name]! / medians["go"]!).toFixed(2);
  console.log(`${files.length} corpus files, one generate process each run, median of 5, alternating:`);
  console.log(`  varlink-ts generate, empty cache      ${medians["cold"]!.toFixed(0)} ms`);
  console.log(`  varlink-ts generate, cache from before ${medians["cached"]!.toFixed(0)} ms (output folder deleted)`);
  console.log(`  varlink-ts generate --check           ${medians["check"]!.toFixed(0)} ms (nothing stale)`);
  console.log(`  ${goGenerator} per file ${medians["go"]!.toFixed(0)} ms`);
  console.log(`  generate / Go, empty cache: ${ratio("cold")} (target <= 3.00)`);
  console.log(`  generate / Go, unchanged inputs from the cache: ${ratio("cached")} (target <= 2.00)`);
  console.log(`  generate --check / Go: ${ratio("check")} (target < 1.00)`);
  const prettierOnly = await formattingTime();
  console.log(`  prettier alone on that output (warm, one process): ${prettierOnly.toFixed(0)} ms, ${(prettierOnly / medians["go"]!).toFixed(2)} x the Go loop`);
}

/** Median time for prettier to format every file generated, after one warm-up pass. */
async function formattingTime(): Promise<number> {
  const texts = readdirSync(out).filter((f) => f.endsWith(".ts")).map((f) => readFileSync(path.join(out, f), "utf8"));
  const once = async (): Promise<number> => {
    const start = performance.now();
    for (const text of texts) await formatTypeScript(text);
    return performance.now() - start;
  };
  await once();
  return median([await once(), await once(), await once()]);
}
rmSync(work, { recursive: true, force: true });
