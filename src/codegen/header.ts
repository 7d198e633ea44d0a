import { generatedHeaderPrefix } from "./options.js";

/** The first line of every generated file. */
export function header(sourcePath: string): string {
  return `${generatedHeaderPrefix}${sourcePath}. DO NOT EDIT.\n`;
}
