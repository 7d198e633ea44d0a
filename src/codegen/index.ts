// varlink-ts/codegen: interfaces (the runtime's model) in, TypeScript files out.
export { generate, generateInterfaceFile } from "./generate.js";
export { header } from "./header.js";
export { generateIndex } from "./index-file.js";
export { assertDistinctOutputs } from "./inputs.js";
export { defaultRuntimeImport, type GeneratedFile, type GenerateInput, type GenerateOptions } from "./options.js";
export type { FormatOptions } from "./print.js";
