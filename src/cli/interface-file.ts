import { hasErrors, parseInterface, renderDiagnostics, type InterfaceDefinition } from "../idl/index.js";
import { UsageError } from "./io.js";
import { readOptionFile } from "./option-file.js";

// --interface-file: the description of an interface a service cannot give (it answers GetInfo or
// GetInterfaceDescription with MethodNotImplemented, as systemd-userdbd in systemd 252), read from a
// .varlink file instead, as buf curl --schema and grpcurl -protoset read theirs.

export interface InterfaceFile {
  file: string;
  /** The file's text: what the service would answer GetInterfaceDescription with. */
  text: string;
  definition: InterfaceDefinition;
}

/** A .varlink file an option names; one that does not check clean is a usage error showing why. */
export async function readInterfaceFile(file: string, option: string): Promise<InterfaceFile> {
  const text = await readOptionFile(file, option);
  const { definition, diagnostics } = parseInterface(text, { file });
  if (definition === undefined || hasErrors(diagnostics))
    throw new UsageError(
      `${option}: ${file} has errors:\n${renderDiagnostics(diagnostics, text, { color: false }).trimEnd()}`,
    );
  return { file, text, definition };
}

/** Interface files by the name of the interface each describes; one interface given twice is a usage error. */
export async function readInterfaceFiles(
  files: readonly string[],
  option = "--interface-file",
): Promise<Map<string, InterfaceFile>> {
  const byName = new Map<string, InterfaceFile>();
  for (const read of await Promise.all(files.map((file) => readInterfaceFile(file, option)))) {
    const earlier = byName.get(read.definition.name);
    if (earlier !== undefined)
      throw new UsageError(
        `${option}: ${read.definition.name} is described twice, by ${earlier.file} and ${read.file}`,
      );
    byName.set(read.definition.name, read);
  }
  return byName;
}
