import { docProse, moreOf, typeText, type CallOptions, type VarlinkConnection } from "@varlink-ts/runtime";
import { toInterfaceModel, type InterfaceDefinition } from "../../idl/index.js";
import type { ExplorerInterface, ExplorerService } from "../../explorer/model.js";
import { serviceInterface } from "../service/introspection.js";
import { describeInterface } from "./service-interface.js";
import { failureReason, type Probe } from "./service-probe.js";

// The explorer page's view of a service: what GetInfo says, and each interface's types, methods
// and errors with their documentation, in the runtime's model of the parsed description.

/** The documentation a reader is shown: mode annotations are said by the page in words. */
function withDoc<T extends object>(value: T, doc: string | undefined): T & { doc?: string } {
  const prose = docProse(doc);
  return prose === undefined ? value : { ...value, doc: prose };
}

export function explorerInterface(definition: InterfaceDefinition, source: "service" | "file"): ExplorerInterface {
  const model = toInterfaceModel(definition);
  const view: ExplorerInterface = withDoc({ name: model.name, description: definition.source, source, types: {}, methods: [], errors: [] }, model.doc);
  for (const member of model.members) {
    if (member.kind === "type") view.types[member.name] = withDoc({ type: member.type }, member.doc);
    else if (member.kind === "error") view.errors.push(withDoc({ name: member.name, parameters: member.parameters }, member.doc));
    else {
      // org.varlink.service annotates nothing, yet none of its methods streams (the runtime takes
      // an interface without annotations as one whose every method may).
      const more = model.name === serviceInterface ? undefined : moreOf(model, member);
      const upgrade = member.modes.upgrade;
      const signature = `method ${member.name}${typeText(member.input)} -> ${typeText(member.output)}`;
      view.methods.push(withDoc({ name: member.name, input: member.input, output: member.output, signature, ...(more !== undefined ? { more } : {}), ...(upgrade !== undefined ? { upgrade } : {}) }, member.doc));
    }
  }
  return view;
}

/** One service for the explorer, from its probe; what cannot be learned is said, not thrown. */
export async function explorerService(name: string, probe: Probe, connection: () => Promise<VarlinkConnection>, files: ReadonlyMap<string, InterfaceDefinition> | undefined, options: CallOptions): Promise<ExplorerService> {
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
      service.interfaces.push(explorerInterface(definition, source));
    } catch (error) {
      service.undescribed.push({ name: interfaceName, reason: failureReason(error) });
    }
  }
  return service;
}
