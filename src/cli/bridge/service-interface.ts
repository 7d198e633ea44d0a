import { MethodNotFound, MethodNotImplemented, type CallOptions, type VarlinkConnection } from "@varlink-ts/runtime";
import { hasErrors, parseInterface, type InterfaceDefinition } from "../../idl/index.js";
import { getInterfaceDescription } from "../service/introspection.js";

/** The service's description did not parse, or describes another interface: the service's fault (502). */
export class BadDescriptionError extends Error {}

export interface DescribedInterface {
  definition: InterfaceDefinition;
  /** The service described it, or, since it cannot describe itself, a file given to the bridge. */
  source: "service" | "file";
}

/**
 * An interface as the service describes it, parsed; what the introspection, OpenAPI and explorer
 * routes read. A service that cannot describe itself at all (MethodNotFound or
 * MethodNotImplemented for GetInterfaceDescription, as systemd-userdbd 252 answers) is described
 * by `files` (--interface-file), when one of them has the interface.
 */
export async function describeInterface(
  connection: VarlinkConnection,
  name: string,
  options: CallOptions,
  files?: ReadonlyMap<string, InterfaceDefinition>,
): Promise<DescribedInterface> {
  let text: string;
  try {
    text = await getInterfaceDescription(connection, name, options);
  } catch (error) {
    const file = files?.get(name);
    if (file !== undefined && (error instanceof MethodNotFound || error instanceof MethodNotImplemented))
      return { definition: file, source: "file" };
    throw error;
  }
  const { definition, diagnostics } = parseInterface(text, { file: name });
  if (definition === undefined || hasErrors(diagnostics)) {
    const first = diagnostics.find((d) => d.severity === "error");
    throw new BadDescriptionError(
      `the service's description of ${name} does not parse${first ? `: ${first.message} (line ${first.range.start.line})` : ""}`,
    );
  }
  if (definition.name !== name)
    throw new BadDescriptionError(`asked for ${name}, the service described ${definition.name}`);
  return { definition, source: "service" };
}
