import type { CallOptions, VarlinkConnection } from "@varlink-ts/runtime";
import { toInterfaceModel, type InterfaceDefinition } from "../../idl/index.js";
import type { ExplorerService } from "../../explorer/model.js";
import { describeInterface } from "./service-interface.js";
import { failureReason, type Probe } from "./service-probe.js";

// The explorer page's view of a service: what GetInfo says, and each interface in the runtime's
// model of the parsed description (the page reads it as every other stage does).

/** One service for the explorer, from its probe; what cannot be learned is said, not thrown. */
export async function explorerService(
  name: string,
  probe: Probe,
  connection: () => Promise<VarlinkConnection>,
  files: ReadonlyMap<string, InterfaceDefinition> | undefined,
  options: CallOptions,
): Promise<ExplorerService> {
  const service: ExplorerService = { name, interfaces: [], undescribed: [] };
  if (probe.state === "down") return { ...service, unreachable: probe.reason };
  if (probe.state === "up") service.info = probe.info;
  else service.infoError = probe.reason;
  let client: VarlinkConnection;
  try {
    client = await connection();
  } catch (error) {
    return { ...service, unreachable: failureReason(error) };
  }
  const names = service.info?.interfaces ?? [...(files?.keys() ?? [])];
  for (const interfaceName of names) {
    try {
      const { definition, source } = await describeInterface(client, interfaceName, options, files);
      service.interfaces.push({ model: toInterfaceModel(definition), source });
    } catch (error) {
      service.undescribed.push({ name: interfaceName, reason: failureReason(error) });
    }
  }
  return service;
}
