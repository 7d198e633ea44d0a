import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { corpusFiles, repoRoot } from "../helpers/paths.js";
import { alternate, goGeneratorLoop, timeCommand } from "./measure.js";
import { commandExists } from "../helpers/peers.js";

// npm run bench:codegen: the cold wall time of `varlink-ts generate` on the whole corpus in one
// process (the output folder deleted) next to varlink-go-interface-generator run once per file
// (as a hook would), in the same run: with an empty generation cache, with the cache an earlier
// run left, and `generate --check` with nothing stale. Then one typical interface cold next to
// a bare `node -e 0`, and the corpus again in a project with its own prettier configuration
// (then prettier itself formats the output).

const cli = path.join(repoRoot, "dist", "bin", "bin.js");
const goGenerator = "varlink-go-interface-generator";
// As one project would hold the corpus: org.example.calc differs from org.example.Calc only in
// case, no project holds both, and generate refuses the pair, so it is left out and one
// generate process covers the rest.
const files = corpusFiles("valid").filter((f) => f.name !== "org.example.calc.varlink");
const paths = files.map((f) => f.path);
const userDatabase = files.find((f) => f.name === "io.systemd.UserDatabase.varlink")!.path;

const work = mkdtempSync(path.join(tmpdir(), "varlink-bench-codegen-"));
const out = path.join(work, "out");
const cacheDir = path.join(work, "cache");
const env = { ...process.env, VARLINK_TS_CACHE_DIR: cacheDir };
const generate = (inputs: string[], options: { emptyCache: boolean; out?: string }) => (): number => {
  const folder = options.out ?? out;
  if (options.emptyCache) rmSync(cacheDir, { recursive: true, force: true });
  rmSync(folder, { recursive: true, force: true });
  return timeCommand(process.execPath, [cli, "generate", ...inputs, "--out", folder], { env });
};
const checkAll = (): number =>
  timeCommand(process.execPath, [cli, "generate", "--check", ...paths, "--out", out], { env });
const bareNode = (): number => timeCommand(process.execPath, ["-e", "0"]);

// A project of its own with a prettier configuration, so prettier formats what is generated.
const styled = path.join(work, "styled");
mkdirSync(styled);
writeFileSync(path.join(styled, ".prettierrc"), JSON.stringify({ singleQuote: true, printWidth: 100 }));

if (!commandExists(goGenerator)) {
  console.log(`${goGenerator} is not installed (Debian package varlink-go): nothing to compare with`);
  process.exitCode = 1;
} else {
  const go = goGeneratorLoop(path.join(work, "go"), paths);
  generate(paths, { emptyCache: true })();
  // "cached" runs after "cold", so it finds the cache that run filled.
  const medians = alternate(
    {
      cold: generate(paths, { emptyCache: true }),
      cached: generate(paths, { emptyCache: false }),
      check: checkAll,
      go,
      one: generate([userDatabase], { emptyCache: true }),
      node: bareNode,
      styled: generate(paths, { emptyCache: true, out: path.join(styled, "out") }),
    },
    5,
  );
  const ratio = (name: string, base = "go"): string => (medians[name]! / medians[base]!).toFixed(2);
  console.log(`${files.length} corpus files, one generate process each run, median of 5, alternating:`);
  console.log(`  varlink-ts generate, empty cache       ${medians["cold"]!.toFixed(0)} ms`);
  console.log(`  varlink-ts generate, cache from before ${medians["cached"]!.toFixed(0)} ms (output folder deleted)`);
  console.log(`  varlink-ts generate --check            ${medians["check"]!.toFixed(0)} ms (nothing stale)`);
  console.log(`  ${goGenerator} per file ${medians["go"]!.toFixed(0)} ms`);
  console.log(`  generate / Go, empty cache: ${ratio("cold")} (target <= 3.00)`);
  console.log(`  generate / Go, unchanged inputs from the cache: ${ratio("cached")} (target <= 2.00)`);
  console.log(`  generate --check / Go: ${ratio("check")} (target < 1.00)`);
  console.log(
    `io.systemd.UserDatabase, empty cache: ${medians["one"]!.toFixed(0)} ms, node -e 0: ${medians["node"]!.toFixed(0)} ms, ratio ${ratio("one", "node")} (target <= 6.00)`,
  );
  console.log(
    `with the project's own prettier options (prettier formats the output), empty cache: ${medians["styled"]!.toFixed(0)} ms, ${ratio("styled")} x the Go loop`,
  );
}
rmSync(work, { recursive: true, force: true });
