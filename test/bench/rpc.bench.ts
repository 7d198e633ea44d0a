import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { parseJson, VarlinkServer } from "@varlink-ts/runtime";
import { commandExists } from "../helpers/peers.js";
import { repoRoot } from "../helpers/paths.js";
import { socketAddress } from "../helpers/runtime.js";
import { median } from "./measure.js";
import { callsPerSecond, compareRates, waitForSocket } from "./load.js";

// npm run bench:rpc: our server and the Go reference server (varlink-go-certification), each in
// its own process, loaded by the same raw client (../shared/bench/rawbench.mjs) on
// org.varlink.service.GetInfo, one call at a time and 32 in flight; then our client against the
// Go server next to the raw client; one pass-through interceptor on each side against none; then
// the memory of 1,000 idle connections to our server.
// With BENCH_BASELINE=DIR, also this checkout against another, in the same run.

const rawbench = path.resolve(repoRoot, "../shared/bench/rawbench.mjs");
const method = "org.varlink.service.GetInfo";
const calls = Number(process.env["BENCH_CALLS"] ?? 20000);
const rounds = Number(process.env["BENCH_ROUNDS"] ?? 5);

function load(
  script: string,
  address: string,
  depth: number,
  call: [string, string] = [method, "{}"],
  env: Record<string, string> = {},
): number {
  return callsPerSecond(script, address, { method: call[0], parameters: call[1], calls, depth, env });
}

/**
 * BENCH_BASELINE=DIR: another checkout of varlink-ts, built (`npm run build:e2e` there), whose
 * server and client are measured against this one's in the same run, alternating.
 */
const baseline = process.env["BENCH_BASELINE"];

function startOurs(address: string, root = repoRoot): ChildProcess {
  return spawn(
    process.execPath,
    [path.join(root, "dist", "test", "e2e", "certification", "main.js"), "server", address],
    { stdio: "ignore" },
  );
}

/** This checkout's server and client against the baseline's, on the same load, alternating. */
async function againstBaseline(root: string, ours: string, go: string): Promise<void> {
  const old = socketAddress("baseline.sock");
  const server = startOurs(old.address, root);
  try {
    await waitForSocket(old.address);
    console.log(`A/B against ${root}, ${rounds * 2} rounds alternating, medians (this / baseline):`);
    const describe: [string, string] = [
      "org.varlink.service.GetInterfaceDescription",
      '{"interface":"org.varlink.certification"}',
    ];
    for (const [what, call] of [
      ["GetInfo", undefined],
      ["GetInterfaceDescription", describe],
    ] as const) {
      for (const depth of [1, 32]) {
        load(rawbench, old.address, depth, call);
        const samples = { now: [] as number[], before: [] as number[] };
        for (let round = 0; round < rounds * 2; round++) {
          samples.now.push(load(rawbench, ours, depth, call));
          samples.before.push(load(rawbench, old.address, depth, call));
        }
        const [n, b] = [median(samples.now), median(samples.before)];
        console.log(
          `  server, ${what}, depth ${String(depth).padStart(2)}: ${n} vs ${b} calls/s, ratio ${ratio(n, b)}`,
        );
      }
    }
    for (const depth of [1, 32]) {
      const samples = { now: [] as number[], before: [] as number[] };
      for (let round = 0; round < rounds * 2; round++) {
        samples.now.push(load(path.join(repoRoot, "dist", "test", "bench", "client-load.js"), go, depth));
        samples.before.push(load(path.join(root, "dist", "test", "bench", "client-load.js"), go, depth));
      }
      const [n, b] = [median(samples.now), median(samples.before)];
      console.log(
        `  client (Go server), depth ${String(depth).padStart(2)}: ${n} vs ${b} calls/s, ratio ${ratio(n, b)}`,
      );
    }
  } finally {
    server.kill();
  }
}

/**
 * One pass-through interceptor on each side against none, alternating: our client calling our
 * server (the measure), then each side alone: a bare server loaded by the raw client, and
 * our client against the Go server.
 */
async function interceptorCost(go: string): Promise<void> {
  const serverScript = path.join(repoRoot, "dist", "test", "bench", "server-load.js");
  const clientScript = path.join(repoRoot, "dist", "test", "bench", "client-load.js");
  const plain = socketAddress("plain.sock");
  const intercepted = socketAddress("intercepted.sock");
  const servers = [
    spawn(process.execPath, [serverScript, plain.address], { stdio: "ignore" }),
    spawn(process.execPath, [serverScript, intercepted.address, "intercepted"], { stdio: "ignore" }),
  ];
  const compare = (what: string, target: string | undefined, withOne: () => number, without: () => number): void =>
    console.log(`  ${what}: ${compareRates(rounds * 2, withOne, without, target)}`);
  const passThrough = { BENCH_INTERCEPTED: "1" };
  try {
    await Promise.all([waitForSocket(plain.address), waitForSocket(intercepted.address)]);
    console.log(
      `one pass-through interceptor against none, ${rounds * 2} rounds alternating, medians (with / without):`,
    );
    for (const depth of [1, 32]) {
      compare(
        `client and server, one on each side, depth ${String(depth).padStart(2)}`,
        "0.95",
        () => load(clientScript, intercepted.address, depth, undefined, passThrough),
        () => load(clientScript, plain.address, depth),
      );
    }
    for (const depth of [1, 32]) {
      compare(
        `  server alone (raw client), depth ${String(depth).padStart(2)}`,
        undefined,
        () => load(rawbench, intercepted.address, depth),
        () => load(rawbench, plain.address, depth),
      );
    }
    for (const depth of [1, 32]) {
      compare(
        `  client alone (Go server), depth ${String(depth).padStart(2)}`,
        undefined,
        () => load(clientScript, go, depth, undefined, passThrough),
        () => load(clientScript, go, depth),
      );
    }
  } finally {
    for (const server of servers) server.kill();
  }
}

/**
 * Resident memory that 1,000 idle connections add to a server: the server runs in this process
 * (garbage collected before each reading); the connections come from a child process, each
 * making one call so that the server has surely set it up, then staying open.
 */
async function idleConnectionCost(count: number): Promise<number> {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc === undefined) throw new Error("run with node --expose-gc");
  const server = new VarlinkServer();
  const { address, path: socketPath } = socketAddress("idle.sock");
  await server.listen(address);
  const settle = async (): Promise<number> => {
    for (let i = 0; i < 3; i++) {
      gc();
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    return process.memoryUsage().rss / 1024 / 1024;
  };
  const before = await settle();
  const script = `
    const net = require("node:net");
    let ready = 0;
    for (let i = 0; i < ${count}; i++) {
      const socket = net.createConnection({ path: ${JSON.stringify(socketPath)} }, () => socket.write('{"method":"${method}"}\\0'));
      socket.once("data", () => { if (++ready === ${count}) console.log("ready"); });
    }`;
  const clients = spawn(process.execPath, ["-e", script], { stdio: ["ignore", "pipe", "inherit"] });
  await new Promise((resolve) => clients.stdout.once("data", resolve));
  if (server.connectionCount !== count) throw new Error(`${server.connectionCount} connections, expected ${count}`);
  const after = await settle();
  clients.kill();
  await server.close({ timeout: 1000 });
  return after - before;
}

const ratio = (a: number, b: number): string => (a / b).toFixed(2);

/**
 * What exact 64-bit integers cost per message, in microseconds: the reader's parse against plain
 * JSON.parse, on messages as they travel (a call, GetInfo's reply, a user record full of
 * microsecond timestamps). A server parses one message per call.
 */
function integerCheckCost(): number {
  const record = {
    record: {
      userName: "root",
      uid: 0,
      gid: 0,
      realName: "root",
      homeDirectory: "/root",
      shell: "/bin/bash",
      lastChangeUSec: 1732867200000000,
      lastPasswordChangeUSec: 1732867200000000,
      disposition: "intrinsic",
    },
    incomplete: false,
  };
  const messages = [
    '{"method":"org.varlink.service.GetInfo"}',
    JSON.stringify({
      parameters: {
        vendor: "varlink-ts",
        product: "certification",
        version: "1",
        url: "https://varlink.org",
        interfaces: ["org.varlink.service", "org.varlink.certification"],
      },
    }),
    JSON.stringify({ parameters: record }),
  ];
  const time = (parse: (text: string) => unknown): number => {
    const start = performance.now();
    for (let i = 0; i < iterations; i++) parse(messages[i % messages.length]!);
    return performance.now() - start;
  };
  const iterations = 300_000;
  const plain = (text: string): unknown => JSON.parse(text);
  time(plain);
  time(parseJson);
  const samples = { plain: [] as number[], exact: [] as number[] };
  for (let round = 0; round < 7; round++) {
    samples.plain.push(time(plain));
    samples.exact.push(time(parseJson));
  }
  const extra = ((median(samples.exact) - median(samples.plain)) * 1000) / iterations;
  console.log(
    `exact 64-bit integers: +${extra.toFixed(2)} µs per message parsed (JSON.parse alone: ${((median(samples.plain) * 1000) / iterations).toFixed(2)} µs)`,
  );
  return extra;
}

async function main(): Promise<void> {
  if (!commandExists("varlink-go-certification")) {
    console.log("varlink-go-certification is not installed (Debian package varlink-go): nothing to compare with");
    process.exitCode = 1;
    return;
  }
  const ours = socketAddress("ours.sock");
  const go = socketAddress("go.sock");
  const ourServer = startOurs(ours.address);
  const goServer = spawn("varlink-go-certification", ["-varlink", go.address], { stdio: "ignore" });
  try {
    await Promise.all([waitForSocket(ours.address), waitForSocket(go.address)]);
    console.log(`node ${process.version}, ${calls} calls of ${method} per run, ${rounds} rounds alternating, medians`);
    const integerCost = integerCheckCost();
    const clientScript = path.join(repoRoot, "dist", "test", "bench", "client-load.js");
    for (const depth of [1, 32]) {
      load(rawbench, ours.address, depth); // warm up the JIT
      const samples = { ours: [] as number[], go: [] as number[] };
      for (let round = 0; round < rounds; round++) {
        samples.ours.push(load(rawbench, ours.address, depth));
        samples.go.push(load(rawbench, go.address, depth));
      }
      const [o, g] = [median(samples.ours), median(samples.go)];
      const target = depth === 1 ? "1.3" : "1.2";
      console.log(
        `server, depth ${String(depth).padStart(2)}: varlink-ts ${o} calls/s, Go ${g} calls/s, ratio ${ratio(o, g)} (target >= ${target})`,
      );
      console.log(
        `  exact integers' share of a call at that rate: ${((integerCost * o) / 1e4).toFixed(2)}% (target <= 3%)`,
      );
    }
    // GetInfo's reply never changes and our server encodes it once; this reply is encoded per call.
    const describe: [string, string] = [
      "org.varlink.service.GetInterfaceDescription",
      '{"interface":"org.varlink.certification"}',
    ];
    for (const depth of [1, 32]) {
      const samples = { ours: [] as number[], go: [] as number[] };
      for (let round = 0; round < rounds; round++) {
        samples.ours.push(load(rawbench, ours.address, depth, describe));
        samples.go.push(load(rawbench, go.address, depth, describe));
      }
      const [o, g] = [median(samples.ours), median(samples.go)];
      console.log(
        `server, depth ${String(depth).padStart(2)}, GetInterfaceDescription (2 KiB reply): varlink-ts ${o} calls/s, Go ${g} calls/s, ratio ${ratio(o, g)}`,
      );
    }
    for (const depth of [1, 32]) {
      const samples = { ours: [] as number[], raw: [] as number[] };
      for (let round = 0; round < rounds; round++) {
        samples.ours.push(load(clientScript, go.address, depth));
        samples.raw.push(load(rawbench, go.address, depth));
      }
      const [o, r] = [median(samples.ours), median(samples.raw)];
      console.log(
        `client, depth ${String(depth).padStart(2)} (Go server): varlink-ts client ${o} calls/s, raw client ${r} calls/s, ratio ${ratio(o, r)} (target >= 0.85)`,
      );
    }
    await interceptorCost(go.address);
    if (baseline !== undefined) await againstBaseline(path.resolve(baseline), ours.address, go.address);
    const grown = await idleConnectionCost(1000);
    console.log(`1000 idle connections to a varlink-ts server: +${grown.toFixed(1)} MiB resident (target < 50 MB)`);
  } finally {
    ourServer.kill();
    goServer.kill();
  }
}

await main();
