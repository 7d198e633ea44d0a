import type { InterfaceDefinition } from "../../idl/index.js";
import { readInterfaceFile } from "../interface-file.js";
import { UsageError } from "../io.js";

/** Interface descriptions by service and interface name, for services that cannot describe themselves. */
export type InterfaceFiles = ReadonlyMap<string, ReadonlyMap<string, InterfaceDefinition>>;

/**
 * Reads --interface-file values: FILE, as the verbs take it, or SERVICE=FILE. A word before the
 * first '=' with no '/' in it names the service; it may be left out when one service is bridged
 * (`./a=b.varlink` is a file). Each SERVICE must be bridged and each FILE must check clean.
 */
export async function loadInterfaceFiles(
  values: readonly string[],
  services: ReadonlyMap<string, string>,
): Promise<InterfaceFiles> {
  const files = new Map<string, Map<string, InterfaceDefinition>>();
  for (const value of values) {
    const { service, file } = serviceAndFile(value, services);
    if (!services.has(service)) throw new UsageError(`--interface-file: no service named '${service}' is bridged`);
    const { definition } = await readInterfaceFile(file, "--interface-file");
    const forService = files.get(service) ?? new Map<string, InterfaceDefinition>();
    if (forService.has(definition.name))
      throw new UsageError(`--interface-file: ${definition.name} is given twice for '${service}'`);
    forService.set(definition.name, definition);
    files.set(service, forService);
  }
  return files;
}

function serviceAndFile(value: string, services: ReadonlyMap<string, string>): { service: string; file: string } {
  const equals = value.indexOf("=");
  const named = equals > 0 && !value.slice(0, equals).includes("/");
  if (named) return { service: value.slice(0, equals), file: value.slice(equals + 1) };
  if (services.size !== 1) {
    throw new UsageError(
      `--interface-file takes SERVICE=FILE when several services are bridged (${[...services.keys()].join(", ")}), e.g. userdb=io.systemd.UserDatabase.varlink (got '${value}')`,
    );
  }
  return { service: [...services.keys()][0]!, file: value };
}
