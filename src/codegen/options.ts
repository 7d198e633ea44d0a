import type { InterfaceDefinition } from "../idl/index.js";
import type { FormatOptions } from "./print.js";

export interface GenerateInput {
  definition: InterfaceDefinition;
  /** The source file as it should appear in the generated header, e.g. `api/org.example.ftl.varlink`. */
  sourcePath: string;
}

export interface GenerateOptions {
  /** Where generated code imports the runtime from. Default `varlink-ts/runtime`. */
  runtimeImport?: string;
  /** Extension of sibling imports in index.ts: `.js` for NodeNext (default), `.ts`, or none for bundlers. */
  importExtension?: ".js" | ".ts" | "";
  /** Write an index.ts that re-exports every interface module. Default true. */
  index?: boolean;
  /** prettier options for the output (the user's configuration, found by the caller). */
  prettier?: FormatOptions | null;
}

export interface GeneratedFile {
  /** Path relative to the output folder. */
  path: string;
  content: string;
}

export const defaultRuntimeImport = "varlink-ts/runtime";
