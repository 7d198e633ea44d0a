import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { parseInterface } from "../../src/idl/index.js";
import { corpusDir, corpusFiles, repoRoot } from "../helpers/paths.js";
import { alternate, goGeneratorLoop, timeCommand } from "./measure.js";
import { commandExists } from "../helpers/peers.js";

// npm run bench:idl: parse throughput on the corpus, and the cold wall time of
// `varlink-ts check` on the whole corpus next to the Go reference generator run once per file
// into a temporary folder (as a pre-commit hook would), in the same run.

const folders = ["valid", "invalid/disputed", "invalid"];
const files = folders.flatMap((folder) => corpusFiles(folder));
const bytes = files.reduce((sum, f) => sum + Buffer.byteLength(f.text), 0);

function parseThroughput(): void {
  for (const f of files) parseInterface(f.text, { lint: true }); // warm up
  const rounds = 20;
  const start = performance.now();
  for (let i = 0; i < rounds; i++) for (const f of files) parseInterface(f.text, { lint: true });
  const seconds = (performance.now() - start) / 1000;
  console.log(
    `parse: ${files.length} files, ${(bytes / 1024).toFixed(0)} KiB x ${rounds}: ` +
      `${((bytes * rounds) / 1024 / 1024 / seconds).toFixed(2)} MiB/s, ${Math.round((files.length * rounds) / seconds)} files/s`,
  );
}

function coldCheck(): void {
  const cli = path.join(repoRoot, "dist", "bin", "bin.js");
  const inputs = folders.map((folder) => path.join(corpusDir, folder));
  // invalid/ is in the input, so check finds problems and exits 1.
  const ours = (): number =>
    timeCommand(process.execPath, [cli, "check", "--format", "json", ...inputs], { expectStatus: 1 });
  const goGenerator = "varlink-go-interface-generator";
  if (!commandExists(goGenerator)) {
    console.log(
      `cold check: varlink-ts ${ours().toFixed(0)} ms; ${goGenerator} not installed (Debian package varlink-go), no ratio`,
    );
    return;
  }
  const work = mkdtempSync(path.join(tmpdir(), "varlink-bench-"));
  const paths = files.map((f) => f.path);
  const go = goGeneratorLoop(path.join(work, "all"), paths);
  const oneFile = files.find((f) => f.name === "org.varlink.certification.varlink")?.path ?? paths[0]!;
  const oursOne = (): number => timeCommand(process.execPath, [cli, "check", oneFile]);
  const goOne = goGeneratorLoop(path.join(work, "one"), [oneFile]);
  ours();
  go();
  const medians = alternate({ ours, go, oursOne, goOne }, 7);
  rmSync(work, { recursive: true, force: true });
  console.log(`cold check of the whole corpus (${files.length} files), median of 7:`);
  console.log(`  varlink-ts check (one process)         ${medians["ours"]!.toFixed(0)} ms`);
  console.log(`  ${goGenerator} (once per file)  ${medians["go"]!.toFixed(0)} ms`);
  console.log(`  ratio varlink-ts / Go: ${(medians["ours"]! / medians["go"]!).toFixed(2)} (target <= 1.00)`);
  console.log(
    `one file (pre-commit on a single change): varlink-ts ${medians["oursOne"]!.toFixed(0)} ms, Go ${medians["goOne"]!.toFixed(0)} ms, ratio ${(medians["oursOne"]! / medians["goOne"]!).toFixed(2)}`,
  );
}

console.log(
  `varlink-ts ${JSON.parse(readFileSync(path.join(repoRoot, "package.json"), "utf8")).version}, node ${process.version}`,
);
parseThroughput();
coldCheck();
