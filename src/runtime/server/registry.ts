import { lstat, mkdir, readdir, readlink, stat, symlink, unlink } from "node:fs/promises";
import net from "node:net";
import path from "node:path";
import { interfaceNamePattern } from "../model/names.js";

// The varlink service registry (systemd v260, uapi-group/specifications PR #233): public
// sockets are linked into /run/varlink/registry/ (or $XDG_RUNTIME_DIR/varlink/registry/ for a
// user's services), each link named after the interface it serves.

/** Which registry: the system's (/run/varlink/registry) or the user's (in $XDG_RUNTIME_DIR). */
export type RegistryScope = "system" | "user";

/** The registry folder, found as systemd finds it: the user's lives in $XDG_RUNTIME_DIR. */
export function registryDirectory(
  scope: RegistryScope = "system",
  env: Readonly<Record<string, string | undefined>> = process.env,
): string {
  if (scope === "system") return "/run/varlink/registry";
  const runtime = env["XDG_RUNTIME_DIR"];
  if (runtime === undefined || !path.isAbsolute(runtime))
    throw new Error("the user's registry is in $XDG_RUNTIME_DIR, which is not set to an absolute path");
  return path.join(runtime, "varlink", "registry");
}

/** One service in the varlink registry: the interface it is named after, and where to connect. */
export interface RegistryEntry {
  interface: string;
  /** The address clients connect to: `unix:` and the socket's path. */
  entrypoint: string;
}

/** The registry's entries, sorted; links whose target is not a socket are left out. A missing folder is an empty registry. */
export async function listRegistry(directory: string): Promise<RegistryEntry[]> {
  const names = await readdir(directory).catch((error: NodeJS.ErrnoException) => {
    if (error.code === "ENOENT") return [] as string[];
    throw error;
  });
  const entries: RegistryEntry[] = [];
  for (const name of names.filter((n) => interfaceNamePattern.test(n)).sort()) {
    const full = path.join(directory, name);
    const info = await lstat(full).catch(() => undefined);
    if (info?.isSocket()) entries.push({ interface: name, entrypoint: `unix:${full}` });
    else if (info?.isSymbolicLink()) {
      const target = path.resolve(directory, await readlink(full));
      if ((await stat(full).catch(() => undefined))?.isSocket())
        entries.push({ interface: name, entrypoint: `unix:${target}` });
    }
  }
  return entries;
}

function answers(socketPath: string): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = net.createConnection({ path: socketPath });
    probe.once("connect", () => {
      probe.destroy();
      resolve(true);
    });
    probe.once("error", () => resolve(false));
  });
}

/**
 * Links `socketPath` into `directory` as `name`. A link left by a service that is gone is
 * replaced; one to a socket that still answers, or anything that is not a link, is an error.
 */
export async function register(directory: string, name: string, socketPath: string): Promise<string> {
  if (!interfaceNamePattern.test(name))
    throw new Error(`cannot register '${name}': registry entries are named after an interface, like org.example.ftl`);
  await mkdir(directory, { recursive: true, mode: 0o755 });
  const link = path.join(directory, name);
  const existing = await lstat(link).catch(() => undefined);
  if (existing !== undefined) {
    if (!existing.isSymbolicLink()) throw new Error(`cannot register ${name}: ${link} exists and is not a link`);
    if (await answers(link)) throw new Error(`cannot register ${name}: ${link} leads to a service that is running`);
    await unlink(link);
  }
  await symlink(path.resolve(socketPath), link);
  return link;
}

/** Removes the link, if it still leads to `socketPath` (another service may have taken the name). */
export async function unregister(link: string, socketPath: string): Promise<void> {
  const target = await readlink(link).catch(() => undefined);
  if (target !== undefined && path.resolve(path.dirname(link), target) === path.resolve(socketPath))
    await unlink(link).catch(() => {});
}
