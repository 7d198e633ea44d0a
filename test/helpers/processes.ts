import { readdirSync, readFileSync } from "node:fs";

// What tests of commands that start processes check: whether one still runs, the children a
// process has, and the fds it holds (by /proc).

export function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** The pids whose parent is `pid`. */
export function childrenOf(pid: number): number[] {
  return readdirSync("/proc")
    .filter((entry) => /^\d+$/.test(entry))
    .flatMap((entry) => {
      try {
        const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
        // The fields after the command name (which may hold spaces): state, then the parent's pid.
        const parent = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
        return parent === pid ? [Number(entry)] : [];
      } catch {
        return [];
      }
    });
}

/** How many fds process `pid` has open. */
export function openFds(pid: number): number {
  return readdirSync(`/proc/${pid}/fd`).length;
}
