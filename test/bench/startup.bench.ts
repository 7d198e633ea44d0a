import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import net from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { corpusFiles, repoRoot } from "../helpers/paths.js";
import { commandExists } from "../helpers/peers.js";
import { socketAddress } from "../helpers/runtime.js";
import { callsPerSecond, waitForSocket } from "./load.js";
import { goGeneratorLoop, median, timeCommand } from "./measure.js";

// npm run bench:startup: where a person waits, each against its peer in the same run, as
// paired runs alternating (ours, then the peer's), reporting the median of the per-pair ratios
// with the target beside it:
//   - cold `check` and `generate` (empty cache) of the corpus against varlink-go's generator run
//     once per file, as a hook would run it;
//   - `varlink-ts --version`, and a script importing varlink-ts/idl, against `node -e 0`;
//   - our client with 32 calls in flight against ../shared/bench's raw client, both calling the
//     Go reference server;
//   - how much a server's resident memory grows while it sends one 10 MB reply (peak minus before,
//     a fresh server each run), against a varlink-go service doing the same (test/bench/go).
// BENCH_ROUNDS (default 7) sets the pairs per row.

// A CA bundle named in NODE_EXTRA_CA_CERTS is read at every Node start (~40 ms on a sandbox that
// sets it): the same for both sides, it would hide our own start-up cost in the ratios.
delete process.env["NODE_EXTRA_CA_CERTS"];

const rounds = Number(process.env["BENCH_ROUNDS"] ?? 7);
const cli = path.join(repoRoot, "dist", "bin", "bin.js");
const rawbench = path.resolve(repoRoot, "../shared/bench/rawbench.mjs");
const clientScript = path.join(repoRoot, "dist", "test", "bench", "client-load.js");
const bigReplyScript = path.join(repoRoot, "dist", "test", "bench", "big-reply-server.js");
const goBigReplySource = path.join(repoRoot, "test", "bench", "go", "big-reply.go");
const varlinkGoSources = "/usr/share/gocode/src/github.com/varlink/go/varlink";
const bigReply = 10 * 1024 * 1024;

// As one project would hold the corpus: org.example.calc differs from org.example.Calc only in
// case, and generate refuses the pair (see codegen.bench.ts).
const files = corpusFiles("valid")
  .filter((f) => f.name !== "org.example.calc.varlink")
  .map((f) => f.path);

interface Row {
  what: string;
  ours: number;
  peer: number;
  unit: string;
  ratio: number;
  /**
   * "<=" when ours / peer must stay at or below the value, ">=" when it must reach it; "MB" when
   * our own figure must stay at or below it (the memory row's target is absolute).
   */
  target: [op: "<=" | ">=" | "MB", value: number];
}

function met(row: Row): boolean {
  const [op, value] = row.target;
  return op === "<=" ? row.ratio <= value : op === ">=" ? row.ratio >= value : row.ours <= value;
}

const rows: Row[] = [];

/** `pairs` rounds of ours then the peer's; the medians of each and of the per-round ratios. */
async function paired(
  what: string,
  unit: string,
  target: Row["target"],
  ours: () => number | Promise<number>,
  peer: () => number | Promise<number>,
): Promise<void> {
  // One untimed run of each: the first run of anything pays for the disk cache.
  await ours();
  await peer();
  const samples = { ours: [] as number[], peer: [] as number[], ratios: [] as number[] };
  for (let round = 0; round < rounds; round++) {
    const a = await ours();
    const b = await peer();
    samples.ours.push(a);
    samples.peer.push(b);
    samples.ratios.push(a / b);
  }
  const row = {
    what,
    unit,
    target,
    ours: median(samples.ours),
    peer: median(samples.peer),
    ratio: median(samples.ratios),
  };
  rows.push(row);
  console.log(format(row));
}

function format(row: Row): string {
  const [op, value] = row.target;
  const target = op === "MB" ? `<= ${value} MB` : `${op} ${value.toFixed(2)}x`;
  const figures = `${row.ours.toFixed(row.unit === "MB" ? 1 : 0)} vs ${row.peer.toFixed(row.unit === "MB" ? 1 : 0)} ${row.unit}`;
  return `  ${row.what.padEnd(58)} ${row.ratio.toFixed(2)}x  (target ${target}${met(row) ? "" : ", NOT MET"})  ${figures}`;
}

/** A value in kB from /proc/PID/status (VmRSS, VmHWM). */
function statusKb(pid: number, field: string): number {
  const match = new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(readFileSync(`/proc/${pid}/status`, "utf8"));
  if (match === null) throw new Error(`no ${field} in /proc/${pid}/status`);
  return Number(match[1]);
}

/** Calls org.example.bench.Blob on a raw socket and resolves with the reply's length once it has all of it. */
function callBlob(socketPath: string, size: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(socketPath);
    let length = 0;
    socket.on("error", reject);
    socket.on("data", (chunk: Buffer) => {
      length += chunk.length;
      if (chunk.includes(0)) {
        socket.destroy();
        if (length < size) reject(new Error(`a reply of ${length} bytes to a call for ${size}`));
        else resolve(length);
      }
    });
    socket.write(`${JSON.stringify({ method: "org.example.bench.Blob", parameters: { size } })}\0`);
  });
}

/**
 * How much a fresh server's resident memory peaks above where it was, in MB, while it sends one
 * 10 MB reply: one small call first (so that code compiled for the call does not count), then
 * the peak is reset (/proc/PID/clear_refs) and read again once the client has the whole reply.
 */
async function replyGrowth(start: (address: string) => ChildProcess): Promise<number> {
  const { address, path: socketPath } = socketAddress("big.sock");
  const server = start(address);
  try {
    await waitForSocket(address);
    await callBlob(socketPath, 100);
    const pid = server.pid!;
    const before = statusKb(pid, "VmRSS");
    writeFileSync(`/proc/${pid}/clear_refs`, "5");
    await callBlob(socketPath, bigReply);
    return (statusKb(pid, "VmHWM") - before) / 1024;
  } finally {
    server.kill();
    rmSync(path.dirname(socketPath), { recursive: true, force: true });
  }
}

/** Builds the Go peer of the memory row, or says why it cannot. */
function buildGoBigReply(dir: string): string | { missing: string } {
  if (!commandExists("go")) return { missing: "go is not installed (Debian package golang-go)" };
  if (!existsSync(varlinkGoSources))
    return { missing: "varlink-go's sources are not installed (Debian package golang-github-varlink-go-dev)" };
  const binary = path.join(dir, "big-reply");
  const env = {
    ...process.env,
    GOPATH: "/usr/share/gocode",
    GO111MODULE: "off",
    GOCACHE: path.join(dir, "go-cache"),
    GOFLAGS: "",
  };
  const built = spawnSync("go", ["build", "-o", binary, goBigReplySource], { env, encoding: "utf8" });
  if (built.status !== 0) throw new Error(`go build failed: ${built.stderr}`);
  return binary;
}

const missing = ["varlink-go-interface-generator", "varlink-go-certification"].filter(
  (command) => !commandExists(command),
);
if (missing.length > 0) {
  console.log(`${missing.join(" and ")} not installed (Debian package varlink-go): nothing to compare with`);
  process.exitCode = 1;
} else {
  const work = mkdtempSync(path.join(tmpdir(), "varlink-bench-startup-"));
  const go = { address: `unix:${path.join(work, "go.sock")}` };
  const goServer = spawn("varlink-go-certification", ["-varlink", go.address], { stdio: "ignore" });
  try {
    const env = { ...process.env, VARLINK_TS_CACHE_DIR: path.join(work, "cache") };
    const out = path.join(work, "out");
    const goLoop = goGeneratorLoop(path.join(work, "go-inputs"), files);
    const bareNode = (): number => timeCommand(process.execPath, ["-e", "0"]);
    console.log(
      `node ${process.version}, ${files.length} corpus files, ${rounds} paired runs per row, alternating; ratio = varlink-ts / peer, median of the pairs`,
    );

    await paired(
      "cold check of the corpus / Go generator per file",
      "ms",
      ["<=", 0.9],
      () => timeCommand(process.execPath, [cli, "check", ...files], { env }),
      goLoop,
    );
    await paired(
      "generate of the corpus, empty cache / the same Go loop",
      "ms",
      ["<=", 2.0],
      () => {
        rmSync(env.VARLINK_TS_CACHE_DIR, { recursive: true, force: true });
        rmSync(out, { recursive: true, force: true });
        return timeCommand(process.execPath, [cli, "generate", ...files, "--out", out], { env });
      },
      goLoop,
    );
    await paired(
      "varlink-ts --version / node -e 0",
      "ms",
      ["<=", 1.4],
      () => timeCommand(process.execPath, [cli, "--version"]),
      bareNode,
    );
    await paired(
      'import("varlink-ts/idl") / node -e 0',
      "ms",
      ["<=", 2.0],
      () =>
        timeCommand(process.execPath, ["--input-type=module", "-e", 'await import("varlink-ts/idl")'], {
          cwd: repoRoot,
        }),
      bareNode,
    );

    await waitForSocket(go.address);
    // 100,000 calls a run: throughput once both clients are compiled (at 20,000, a run lasts 0.4 s
    // and how soon V8 compiles our client's larger call path weighs as much as its writes).
    const calls = {
      method: "org.varlink.service.GetInfo",
      calls: Number(process.env["BENCH_CALLS"] ?? 100000),
      depth: 32,
    };
    // Calls per second: higher is better, so this row's ratio is ours / the raw client's rate.
    await paired(
      "client, 32 calls in flight / raw client (Go server)",
      "calls/s",
      [">=", 1.1],
      () => callsPerSecond(clientScript, go.address, calls),
      () => callsPerSecond(rawbench, go.address, calls),
    );

    const goBinary = buildGoBigReply(work);
    const ours = (): Promise<number> =>
      replyGrowth((address) => spawn(process.execPath, [bigReplyScript, address], { stdio: "ignore" }));
    if (typeof goBinary === "string") {
      const goGrowth = (): Promise<number> => replyGrowth((address) => spawn(goBinary, [address], { stdio: "ignore" }));
      await paired("server RSS growth, one 10 MB reply / varlink-go", "MB", ["MB", 40], ours, goGrowth);
    } else {
      const growth = [];
      for (let round = 0; round < rounds; round++) growth.push(await ours());
      console.log(
        `  server RSS growth, one 10 MB reply: ${median(growth).toFixed(1)} MB (target <= 40 MB); no Go peer: ${goBinary.missing}`,
      );
    }
    const unmet = rows.filter((row) => !met(row));
    console.log(
      unmet.length === 0 ? "every row meets its target" : `${unmet.length} of ${rows.length} rows miss their target`,
    );
  } finally {
    goServer.kill();
    rmSync(work, { recursive: true, force: true });
  }
}
