import { spawnSync } from "node:child_process";
import path from "node:path";
import { SocketConnection } from "@varlink-ts/runtime";
import { median } from "./measure.js";

// What the RPC benches share: a load client run as a process of its own (ours, or the raw one
// in ../shared/bench, which print one JSON line alike), and waiting for a server to answer.

/** Calls per second that `script` reaches: `calls` calls of `method` with `parameters` (JSON), `depth` in flight. */
export function callsPerSecond(
  script: string,
  address: string,
  options: { method: string; parameters?: string; calls: number; depth: number; env?: Record<string, string> },
): number {
  const args = [
    script,
    address,
    options.method,
    options.parameters ?? "{}",
    String(options.calls),
    String(options.depth),
  ];
  const result = spawnSync(process.execPath, args, { encoding: "utf8", env: { ...process.env, ...options.env } });
  if (result.status !== 0) throw new Error(`${path.basename(script)} failed: ${result.stderr}`);
  return (JSON.parse(result.stdout.trim().split("\n").pop()!) as { callsPerSec: number }).callsPerSec;
}

/**
 * The medians of two loads run alternately, `rounds` times each after one warm-up run of each, as
 * a line: "A vs B calls/s, ratio R", with the target beside it when there is one.
 */
export function compareRates(rounds: number, a: () => number, b: () => number, target?: string): string {
  a();
  b();
  const samples = { a: [] as number[], b: [] as number[] };
  for (let round = 0; round < rounds; round++) {
    samples.a.push(a());
    samples.b.push(b());
  }
  const [x, y] = [median(samples.a), median(samples.b)];
  return `${x} vs ${y} calls/s, ratio ${(x / y).toFixed(2)}${target === undefined ? "" : ` (target >= ${target})`}`;
}

/** Resolves once something answers on `address`: it polls, since a server in another process says nothing when it is ready. */
export async function waitForSocket(address: string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    try {
      await (await SocketConnection.connect(address)).close();
      return;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }
  throw new Error(`nothing answers on ${address}`);
}
