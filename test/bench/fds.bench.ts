import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { repoRoot } from "../helpers/paths.js";
import { socketAddress } from "../helpers/runtime.js";
import { callsPerSecond, compareRates, waitForSocket } from "./load.js";

// npm run bench:fds: what @varlink-ts/unix-fds costs. Our client and server on the add-on's
// sockets against the same on Node's own, with plain calls (target: at most 10% more cost), and
// calls that each carry one fd against plain calls, both on the add-on. GetInfo, one call at a
// time and 32 in flight, alternating rounds, medians.

const calls = Number(process.env["BENCH_CALLS"] ?? 20000);
const rounds = Number(process.env["BENCH_ROUNDS"] ?? 5);
const method = "org.varlink.service.GetInfo";
const clientScript = path.join(repoRoot, "dist", "test", "bench", "client-load.js");
const serverScript = path.join(repoRoot, "dist", "test", "bench", "server-load.js");

/** BENCH_BASELINE=DIR: another checkout, built, whose client and servers are measured against this one's, alternating. */
const baseline = process.env["BENCH_BASELINE"];

function load(address: string, depth: number, fds?: "addon" | "one", root = repoRoot): number {
  const script = root === repoRoot ? clientScript : path.join(root, "dist", "test", "bench", "client-load.js");
  return callsPerSecond(script, address, {
    method,
    calls,
    depth,
    ...(fds !== undefined ? { env: { BENCH_FDS: fds } } : {}),
  });
}

const plain = socketAddress("plain.sock");
const addon = socketAddress("addon.sock");
const before = { plain: socketAddress("baseline-plain.sock"), addon: socketAddress("baseline-addon.sock") };
const baselineServer = path.join(baseline ?? repoRoot, "dist", "test", "bench", "server-load.js");
const servers: ChildProcess[] = [
  spawn(process.execPath, [serverScript, plain.address], { stdio: "ignore" }),
  spawn(process.execPath, [serverScript, addon.address, "fds"], { stdio: "ignore" }),
  ...(baseline === undefined
    ? []
    : [
        spawn(process.execPath, [baselineServer, before.plain.address], { stdio: "ignore" }),
        spawn(process.execPath, [baselineServer, before.addon.address, "fds"], { stdio: "ignore" }),
      ]),
];
try {
  await Promise.all([
    waitForSocket(plain.address),
    waitForSocket(addon.address),
    ...(baseline === undefined ? [] : [waitForSocket(before.plain.address), waitForSocket(before.addon.address)]),
  ]);
  console.log(
    `node ${process.version}, ${calls} calls of ${method} per run, ${rounds * 2} rounds alternating, medians`,
  );
  for (const depth of [1, 32]) {
    const d = String(depth).padStart(2);
    console.log(
      `plain calls, add-on / Node's sockets, depth ${d}: ${compareRates(
        rounds * 2,
        () => load(addon.address, depth, "addon"),
        () => load(plain.address, depth),
        "0.90",
      )}`,
    );
    console.log(
      `one fd per call / none, both on the add-on, depth ${d}: ${compareRates(
        rounds * 2,
        () => load(addon.address, depth, "one"),
        () => load(addon.address, depth, "addon"),
      )}`,
    );
  }
  if (baseline !== undefined) {
    console.log(`A/B against ${baseline} (this / baseline, client and server alike):`);
    for (const depth of [1, 32]) {
      const d = String(depth).padStart(2);
      console.log(
        `  Node's sockets, depth ${d}: ${compareRates(
          rounds * 2,
          () => load(plain.address, depth),
          () => load(before.plain.address, depth, undefined, baseline),
        )}`,
      );
      console.log(
        `  add-on, plain calls, depth ${d}: ${compareRates(
          rounds * 2,
          () => load(addon.address, depth, "addon"),
          () => load(before.addon.address, depth, "addon", baseline),
        )}`,
      );
      console.log(
        `  add-on, one fd per call, depth ${d}: ${compareRates(
          rounds * 2,
          () => load(addon.address, depth, "one"),
          () => load(before.addon.address, depth, "one", baseline),
        )}`,
      );
    }
  }
} finally {
  for (const server of servers) server.kill();
}
