// varlink-ts/codegen: parsed interfaces in, TypeScript files out.
export { generate, generateInterfaceFile } from "./generate.js";
export { header } from "./header.js";
export { assertDistinctOutputs, generateIndex } from "./index-file.js";
export { defaultRuntimeImport, type GeneratedFile, type GenerateInput, type GenerateOptions } from "./options.js";
export { findPrettierConfig, type FormatOptions } from "./print.js";
