import { listRegistry, registryDirectory, type RegistryScope } from "@varlink-ts/runtime";
import { UsageError, type CliIo } from "../io.js";
import { printJson } from "../service/session.js";

/** `varlink-ts list-registry [--user]`: the registry's entries, as varlinkctl shows them. */
export async function runListRegistry(
  options: { scope: RegistryScope; json?: "pretty" | "short" | undefined },
  io: CliIo,
): Promise<number> {
  let directory: string;
  try {
    directory = registryDirectory(options.scope, io.env);
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  const entries = await listRegistry(directory);
  if (options.json !== undefined) {
    printJson(io, entries, { json: options.json });
    return 0;
  }
  if (entries.length === 0) {
    io.stdout("No services registered.\n");
    return 0;
  }
  const width = Math.max("INTERFACE".length, ...entries.map((entry) => entry.interface.length));
  io.stdout(`${"INTERFACE".padEnd(width)}  ENTRYPOINT\n`);
  for (const entry of entries) io.stdout(`${entry.interface.padEnd(width)}  ${entry.entrypoint}\n`);
  io.stdout(`\n${entries.length} registered ${entries.length === 1 ? "service" : "services"} listed.\n`);
  return 0;
}
