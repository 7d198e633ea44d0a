import type { InterfaceDefinition } from "../../idl/index.js";
import { readInterfaceFile } from "../interface-file.js";
import { UsageError } from "../io.js";

/** Interface descriptions by service and interface name, for services that cannot describe themselves. */
export type InterfaceFiles = ReadonlyMap<string, ReadonlyMap<string, InterfaceDefinition>>;

/** Reads --interface-file SERVICE=FILE pairs; each SERVICE must be bridged and each FILE must check clean. */
export async function loadInterfaceFiles(pairs: readonly string[], services: ReadonlyMap<string, string>): Promise<InterfaceFiles> {
  const files = new Map<string, Map<string, InterfaceDefinition>>();
  for (const pair of pairs) {
    const equals = pair.indexOf("=");
    if (equals <= 0) throw new UsageError(`--interface-file takes SERVICE=FILE, e.g. userdb=io.systemd.UserDatabase.varlink (got '${pair}')`);
    const service = pair.slice(0, equals);
    const file = pair.slice(equals + 1);
    if (!services.has(service)) throw new UsageError(`--interface-file: no service named '${service}' is bridged`);
    const { definition } = await readInterfaceFile(file, "--interface-file");
    const forService = files.get(service) ?? new Map<string, InterfaceDefinition>();
    if (forService.has(definition.name)) throw new UsageError(`--interface-file: ${definition.name} is given twice for '${service}'`);
    forService.set(definition.name, definition);
    files.set(service, forService);
  }
  return files;
}
