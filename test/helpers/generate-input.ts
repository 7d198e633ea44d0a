import type { GenerateInput } from "../../src/codegen/index.js";
import { toInterfaceModel, type InterfaceDefinition } from "../../src/idl/index.js";

/** What the CLI hands the generator for a parsed file: the runtime's model, and the text as written. */
export function inputOf(definition: InterfaceDefinition, sourcePath: string): GenerateInput {
  return { model: toInterfaceModel(definition), description: definition.source, sourcePath };
}
