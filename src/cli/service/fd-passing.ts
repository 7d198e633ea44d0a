import type { FdPassing } from "@varlink-ts/runtime";
import { UsageError } from "../io.js";

// The fd-passing add-on, which the toolchain does not depend on: loaded only by the verbs that
// pass fds (call --push-fd, call --exec, serve).

const packageName = "@varlink-ts/unix-fds";

/** The add-on if it is installed; undefined if not. Installed but broken (no binary for this platform) is an error. */
export async function optionalFdPassing(): Promise<FdPassing | undefined> {
  try {
    // A variable, so that the bundler leaves the optional package to be found at run time.
    const name = packageName;
    const addOn: typeof import("@varlink-ts/unix-fds") = await import(name);
    return addOn.unixFds;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ERR_MODULE_NOT_FOUND" && String((error as Error).message).includes(packageName)) return undefined;
    throw new Error(`${packageName} is installed but cannot be loaded: ${(error as Error).message}`);
  }
}

/** How to install the add-on while it is not on the registry. */
export const installHint = `npm i ${packageName}; until it is published, npm run pack in a varlink-ts checkout writes its tarball`;

/** The add-on, which `option` cannot work without. */
export async function requiredFdPassing(option: string): Promise<FdPassing> {
  const fdPassing = await optionalFdPassing();
  if (fdPassing === undefined)
    throw new UsageError(`${option} needs the optional package ${packageName} (${installHint})`);
  return fdPassing;
}
