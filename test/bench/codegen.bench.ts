import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { formatTypeScript } from "../../src/codegen/print.js";
import { hasErrors, parseInterface } from "../../src/idl/index.js";
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
const files = corpusFiles("valid").filter((f) => !hasErrors(parseInterface(f.text).diagnostics));

// org.example.Calc and org.example.calc cannot share a folder (case-insensitive file systems),
// so the corpus is generated in as few runs as that allows.
const groups: string[][] = [];
for (const file of files) {
  const group = groups.find((g) => !g.some((p) => path.basename(p).toLowerCase() === file.name.toLowerCase())) ?? (groups.push([]), groups.at(-1)!);
  group.push(file.path);
}

const work = mkdtempSync(path.join(tmpdir(), "varlink-bench-codegen-"));
const outs = groups.map((_, i) => path.join(work, `out${i}`));
const cacheDir = path.join(work, "cache");
const env = { ...process.env, VARLINK_TS_CACHE_DIR: cacheDir };
const generateAll = (emptyCache: boolean) => (): number => {
  if (emptyCache) rmSync(cacheDir, { recursive: true, force: true });
  return groups.reduce((ms, group, i) => {
    rmSync(outs[i]!, { recursive: true, force: true });
    return ms + timeCommand(process.execPath, [cli, "generate", ...group, "--out", outs[i]!], { env });
  }, 0);
};
const checkAll = (): number => groups.reduce((ms, group, i) => ms + timeCommand(process.execPath, [cli, "generate", "--check", ...group, "--out", outs[i]!], { env }), 0);

if (!commandExists(goGenerator)) {
  console.log(`${goGenerator} is not installed (Debian package varlink-go): nothing to compare with`);
  process.exitCode = 1;
} else {
  const go = goGeneratorLoop(path.join(work, "go"), files.map((f) => f.path));
  generateAll(true)();
  // "cached" runs after "cold", so it finds the cache that run filled.
  const medians = alternate({ cold: generateAll(true), cached: generateAll(false), check: checkAll, go }, 5);
  const ratio = (name: string): string => (medians[name]! / medians["go"]!).toFixed(2);
  console.log(`${files.length} corpus files in ${groups.length} generate runs, median of 5, alternating:`);
  console.log(`  varlink-ts generate, empty cache      ${medians["cold"]!.toFixed(0)} ms`);
  console.log(`  varlink-ts generate, cache from before ${medians["cached"]!.toFixed(0)} ms (output folder deleted)`);
  console.log(`  varlink-ts generate --check           ${medians["check"]!.toFixed(0)} ms (nothing stale)`);
  console.log(`  ${goGenerator} per file ${medians["go"]!.toFixed(0)} ms`);
  console.log(`  generate / Go, empty cache: ${ratio("cold")}`);
  console.log(`  generate / Go, unchanged inputs from the cache: ${ratio("cached")} (target <= 2.00)`);
  console.log(`  generate --check / Go: ${ratio("check")} (target < 1.00)`);
  const prettierOnly = await formattingTime();
  console.log(`  prettier alone on that output (warm, one process): ${prettierOnly.toFixed(0)} ms, ${(prettierOnly / medians["go"]!).toFixed(2)} x the Go loop`);
}

/** Median time for prettier to format every file generated, after one warm-up pass. */
async function formattingTime(): Promise<number> {
  const texts = outs.flatMap((out) => readdirSync(out).filter((f) => f.endsWith(".ts")).map((f) => readFileSync(path.join(out, f), "utf8")));
  const once = async (): Promise<number> => {
    const start = performance.now();
    for (const text of texts) await formatTypeScript(text);
    return performance.now() - start;
  };
  await once();
  return median([await once(), await once(), await once()]);
}
rmSync(work, { recursive: true, force: true });
