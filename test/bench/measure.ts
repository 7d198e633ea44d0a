import { spawnSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import path from "node:path";

/** Wall time of one run of a command, in milliseconds. */
export function timeCommand(command: string, args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): number {
  const start = performance.now();
  const result = spawnSync(command, args, { cwd: options.cwd, env: options.env ?? process.env, stdio: "ignore" });
  if (result.error) throw result.error;
  return performance.now() - start;
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/**
 * Runs each contender `rounds` times, alternating them so that machine noise hits all alike,
 * and returns the median time of each.
 */
export function alternate(contenders: Record<string, () => number>, rounds: number): Record<string, number> {
  const samples: Record<string, number[]> = Object.fromEntries(Object.keys(contenders).map((name) => [name, []]));
  for (let round = 0; round < rounds; round++) {
    for (const [name, run] of Object.entries(contenders)) samples[name]!.push(run());
  }
  return Object.fromEntries(Object.entries(samples).map(([name, values]) => [name, median(values)]));
}

/**
 * A shell script that runs the Go reference generator once per file given, each in a fresh
 * folder, as a pre-commit hook would; returns its path (in `dir`).
 */
export function writeGoLoop(dir: string): string {
  const script = path.join(dir, "go-loop.sh");
  writeFileSync(
    script,
    `for f in "$@"; do d=$(mktemp -d); cp "$f" "$d/"; (cd "$d" && varlink-go-interface-generator "$(basename "$f")" >/dev/null 2>&1); rm -rf "$d"; done\n`,
  );
  return script;
}
