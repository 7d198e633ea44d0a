import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import {
  hasErrors,
  parseInterface,
  renderDiagnostics,
  toInterfaceModel,
  type InterfaceDefinition,
} from "../../idl/index.js";
import { openApiDocument } from "../../openapi/index.js";
import { expandInputs } from "../inputs.js";
import { exitCodes, UsageError, type CliIo } from "../io.js";
import type { optionTables } from "../options/commands.js";
import type { OptionValues } from "../options/table.js";

export type OpenApiCommandOptions = OptionValues<typeof optionTables.openapi>;

/**
 * `varlink-ts openapi FILE...`: the OpenAPI 3.1 document of the interfaces as the HTTP bridge
 * serves them, the same the bridge answers at /openapi/SERVICE/INTERFACE. Files with errors
 * print their diagnostics and give no document.
 */
export async function runOpenApi(options: OpenApiCommandOptions, io: CliIo): Promise<number> {
  const files = await expandInputs(options.inputs, io.cwd);
  const definitions: InterfaceDefinition[] = [];
  let failed = false;
  for (const file of files) {
    const source = await readFile(path.resolve(io.cwd, file), "utf8");
    const { definition, diagnostics } = parseInterface(source, { file });
    if (hasErrors(diagnostics) || definition === undefined) {
      io.stderr(renderDiagnostics(diagnostics, source, { color: io.color }));
      failed = true;
    } else definitions.push(definition);
  }
  if (failed) return exitCodes.problems;
  const names = definitions.map((d) => d.name);
  const twice = names.find((name, index) => names.indexOf(name) !== index);
  if (twice !== undefined) throw new UsageError(`the interface ${twice} is given twice`);
  const text = `${JSON.stringify(openApiDocument(definitions.map(toInterfaceModel), { service: options.service, server: options.server }), null, 2)}\n`;
  if (options.out !== undefined) await writeFile(path.resolve(io.cwd, options.out), text);
  else io.stdout(text);
  return exitCodes.ok;
}
