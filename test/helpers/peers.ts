import { spawnSync } from "node:child_process";
import type { TestContext } from "node:test";

/**
 * Whether a real peer is installed. On CI (.ci/run installs every peer) a missing one is a
 * failure; on a developer's machine the test is skipped with the package to install.
 */
export function commandExists(command: string): boolean {
  return spawnSync("sh", ["-c", `command -v ${command}`], { stdio: "ignore" }).status === 0;
}

export function requirePeer(t: TestContext, command: string, debianPackage: string): boolean {
  if (commandExists(command)) return true;
  const why = `${command} is not installed (apt-get install ${debianPackage})`;
  if (process.env["CI"]) throw new Error(why);
  t.skip(why);
  return false;
}
