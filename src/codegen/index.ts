// varlink-ts/codegen: parsed interfaces in, TypeScript files out.
export { generate, header } from "./generate.js";
export { defaultRuntimeImport, type GeneratedFile, type GenerateInput, type GenerateOptions } from "./options.js";
export { findPrettierConfig, type FormatOptions } from "./print.js";
