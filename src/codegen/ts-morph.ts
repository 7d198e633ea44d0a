import { createRequire } from "node:module";

// The ts-morph values the emitters use. ts-morph is CommonJS: require() skips the scan for
// named exports that an ESM import of its 1 MB bundle runs, about 90 ms of every cold start.
export const { printStructure, StructureKind, VariableDeclarationKind } = createRequire(import.meta.url)("ts-morph") as typeof import("ts-morph");
