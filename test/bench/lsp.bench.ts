import { readFileSync } from "node:fs";
import path from "node:path";
import { parseInterface } from "../../src/idl/index.js";
import { startLspClient } from "../helpers/lsp-client.js";
import { corpusDir } from "../helpers/paths.js";
import { median } from "./measure.js";

// How long after a change an editor shows diagnostics: `varlink-ts lsp --stdio` with io.podman
// (52 KB) open, a one-character edit sent as the whole text (what the slowest clients send),
// timed from didChange to the publishDiagnostics of that version. The target is 50 ms. For
// scale, the same run times the parse alone, in this process.

const target = 50;
const warmup = 10;
const rounds = 60;

const file = path.join(corpusDir, "valid", "io.podman.varlink");
const text = readFileSync(file, "utf8");
const client = await startLspClient();
const uri = `file://${file}`;
await client.open(uri, text);

const latencies: number[] = [];
for (let version = 2; version < 2 + warmup + rounds; version++) {
  // Alternate a blank at the end of the first comment line, so each version differs.
  const edited = version % 2 === 0 ? text.replace("\n", " \n") : text;
  const start = performance.now();
  const published = await client.change(uri, version, edited);
  const elapsed = performance.now() - start;
  if (published.diagnostics.length > 0)
    throw new Error(`io.podman should be clean; got ${published.diagnostics[0]!.message}`);
  if (version >= 2 + warmup) latencies.push(elapsed);
}
await client.stop();

const parses: number[] = [];
for (let i = 0; i < rounds; i++) {
  const start = performance.now();
  parseInterface(text);
  parses.push(performance.now() - start);
}

const sorted = [...latencies].sort((a, b) => a - b);
const p95 = sorted[Math.floor(sorted.length * 0.95)]!;
const fmt = (ms: number): string => `${ms.toFixed(1)} ms`;
console.log(
  `varlink-ts lsp, io.podman.varlink (${(text.length / 1024).toFixed(1)} KiB), ${rounds} edits after ${warmup} to warm up, node ${process.version}`,
);
console.log(`  change -> diagnostics: median ${fmt(median(latencies))}, p95 ${fmt(p95)}, max ${fmt(sorted.at(-1)!)}`);
console.log(`  parse and check alone (in process): median ${fmt(median(parses))}`);
console.log(`  ratio median / target ${target} ms: ${(median(latencies) / target).toFixed(2)} (target <= 1.00)`);
