import { spawnSync } from "node:child_process";
import { copyFileSync, mkdirSync } from "node:fs";
import path from "node:path";

/**
 * Wall time of one run of a command, in milliseconds. A run that exits with another status than
 * expected is an error: a command that failed early would otherwise look fast.
 */
export function timeCommand(
  command: string,
  args: string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv; expectStatus?: number } = {},
): number {
  const start = performance.now();
  const result = spawnSync(command, args, {
    cwd: options.cwd,
    env: options.env ?? process.env,
    stdio: ["ignore", "ignore", "pipe"],
  });
  const elapsed = performance.now() - start;
  if (result.error) throw result.error;
  const expected = options.expectStatus ?? 0;
  if (result.status !== expected) {
    throw new Error(
      `${path.basename(command)} ${args.slice(0, 3).join(" ")}... exited with ${result.status ?? result.signal}, not ${expected}: ${result.stderr.toString().slice(0, 500)}`,
    );
  }
  return elapsed;
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
 * Times the Go reference generator run once per file, as a hook would run it. It writes its
 * output beside its input and the corpus is read-only, so the inputs are copied into `dir`
 * first, once and untimed; the timed loop then runs nothing but the generator.
 */
export function goGeneratorLoop(dir: string, files: string[]): () => number {
  const inputs = files.map((file, i) => {
    // One folder per input: files of the same name from different folders must not clash.
    mkdirSync(path.join(dir, String(i)), { recursive: true });
    copyFileSync(file, path.join(dir, String(i), path.basename(file)));
    return path.join(String(i), path.basename(file));
  });
  // The Go generator's own verdict on a file (it refuses some of the corpus) is not timed here.
  const script = `cd "$1" && shift && for f in "$@"; do varlink-go-interface-generator "$f" >/dev/null 2>&1; done; true`;
  return () => timeCommand("bash", ["-c", script, "go-loop", dir, ...inputs]);
}
