import type { CallOptions, VarlinkConnection } from "@varlink-ts/runtime";
import { hasErrors, parseInterface, type InterfaceDefinition } from "../../idl/index.js";
import { getInterfaceDescription } from "../service/introspection.js";

/** The service's description did not parse, or describes another interface: the service's fault (502). */
export class BadDescriptionError extends Error {}

/** An interface as the service describes it, parsed; what the introspection and OpenAPI routes read. */
export async function fetchInterface(connection: VarlinkConnection, name: string, options: CallOptions): Promise<InterfaceDefinition> {
  const text = await getInterfaceDescription(connection, name, options);
  const { definition, diagnostics } = parseInterface(text, { file: name });
  if (definition === undefined || hasErrors(diagnostics)) {
    const first = diagnostics.find((d) => d.severity === "error");
    throw new BadDescriptionError(`the service's description of ${name} does not parse${first ? `: ${first.message} (line ${first.range.start.line})` : ""}`);
  }
  if (definition.name !== name) throw new BadDescriptionError(`asked for ${name}, the service described ${definition.name}`);
  return definition;
}
