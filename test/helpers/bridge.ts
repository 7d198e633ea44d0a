import { spawn } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { binPath } from "./cli.js";
import { eventually } from "./runtime.js";

export interface BridgeProcess {
  /** http(s)://127.0.0.1:PORT plus the base path. */
  url: string;
  port: number;
  pid: number;
  stderr(): string;
  stop(): Promise<void>;
}

/**
 * `varlink-ts bridge http ARGS` (on 127.0.0.1:0 unless ARGS say --listen) as a subprocess, once it
 * says where it listens; `bin` runs another build (a benchmark's baseline).
 */
export async function startBridge(
  args: string[],
  env: Record<string, string> = {},
  bin = binPath,
): Promise<BridgeProcess> {
  const listen = args.includes("--listen") ? [] : ["--listen", "127.0.0.1:0"];
  const child = spawn(process.execPath, [bin, "bridge", "http", ...listen, ...args], {
    stdio: ["ignore", "ignore", "pipe"],
    env: { ...process.env, ...env },
  });
  let stderr = "";
  child.stderr.setEncoding("utf8").on("data", (text: string) => (stderr += text));
  await eventually(
    () => /listening on https?:\/\/\S+/.test(stderr) || child.exitCode !== null,
    "the bridge listens",
    10_000,
  );
  const match = /listening on (https?:\/\/[^/\s]+:(\d+)(\S*))/.exec(stderr);
  if (!match) throw new Error(`the bridge did not start: ${stderr}`);
  return {
    url: match[1]!,
    port: Number(match[2]),
    pid: child.pid!,
    stderr: () => stderr,
    stop: async () => {
      if (child.exitCode !== null) return;
      child.kill("SIGTERM");
      await eventually(() => child.exitCode !== null, "the bridge exits", 10_000);
    },
  };
}

/** Resident memory of a process, in bytes (from /proc). */
export function residentBytes(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const kilobytes = /^VmRSS:\s+(\d+) kB/m.exec(status);
  if (kilobytes === null) throw new Error(`no VmRSS for process ${pid}`);
  return Number(kilobytes[1]) * 1024;
}

/** How many fds a process has open (from /proc). */
export function openFdsOf(pid: number): number {
  return readdirSync(`/proc/${pid}/fd`).length;
}
