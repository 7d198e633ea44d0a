import { generatedHeaderPrefix } from "./options.js";

/** The first line of every generated file: generated from `source`, a file, or interfaces a service describes. */
export function header(source: string, describedBy?: string, several = false): string {
  return `${generatedHeaderPrefix}${source}${describedBy === undefined ? "" : `, as ${describedBy} describes ${several ? "them" : "it"}`}. DO NOT EDIT.\n`;
}
