import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdirSync } from "node:fs";
import { SocketConnection } from "@varlink-ts/runtime";
import { eventually } from "./runtime.js";

// A real systemd varlink service (Debian systemd-userdbd), started for the tests that talk to
// it and stopped after them. On CI (.ci/run installs it) a missing daemon is a failure.

const daemon = "/lib/systemd/systemd-userdbd";
export const userdbSocket = "/run/systemd/userdb/io.systemd.Multiplexer";
export const userdbAddress = `unix:${userdbSocket}`;
/** The `service` parameter every io.systemd.UserDatabase call names. */
export const userdbService = "io.systemd.Multiplexer";

async function answers(): Promise<boolean> {
  try {
    const client = await SocketConnection.connect(userdbAddress);
    await client.close();
    return true;
  } catch {
    return false;
  }
}

export interface Userdbd {
  /** Why the daemon cannot run here; tests skip with it. */
  unavailable: string | undefined;
  stop(): Promise<void>;
}

/** Starts the daemon unless one already answers; throws on CI when it cannot run. */
export async function startUserdbd(): Promise<Userdbd> {
  if (await answers()) return { unavailable: undefined, stop: async () => {} };
  let unavailable: string | undefined;
  if (!existsSync(daemon)) unavailable = `${daemon} is not installed (apt-get install systemd-userdbd)`;
  else if (process.getuid?.() !== 0) unavailable = "systemd-userdbd must run as root";
  if (unavailable !== undefined) {
    if (process.env["CI"]) throw new Error(unavailable);
    return { unavailable, stop: async () => {} };
  }
  mkdirSync("/run/systemd/userdb", { recursive: true });
  const started: ChildProcess = spawn(daemon, [], { stdio: "ignore" });
  const deadline = Date.now() + 10_000;
  while (!(await answers())) {
    if (Date.now() > deadline || started.exitCode !== null) throw new Error("systemd-userdbd did not start answering");
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return {
    unavailable: undefined,
    stop: async () => {
      started.kill("SIGTERM");
      await eventually(() => started.exitCode !== null || started.signalCode !== null, "userdbd exits");
    },
  };
}
