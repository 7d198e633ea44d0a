import { interfaceBaseName, NameScope, outputFileName } from "./names.js";
import { header } from "./header.js";
import type { GeneratedFile, GenerateInput, GenerateOptions } from "./options.js";
import { formatTypeScript } from "./print.js";

// index.ts re-exports every interface module under a namespace named after the interface. It is
// the one output that depends on all inputs together.

export const indexFileName = "index.ts";

export async function generateIndex(inputs: readonly GenerateInput[], options: GenerateOptions = {}): Promise<GeneratedFile> {
  const extension = options.importExtension ?? ".js";
  const sorted = sortedInputs(inputs);
  const namespaces = new NameScope();
  const lines = sorted.map((input) => {
    const name = namespaces.claim(interfaceBaseName(input.definition.name));
    const module = outputFileName(input.sourcePath).replace(/\.ts$/, extension);
    return `/** ${input.definition.name} */\nexport * as ${name} from ${JSON.stringify(`./${module}`)};`;
  });
  const sources = sorted.map((input) => input.sourcePath).join(", ");
  return { path: indexFileName, content: await formatTypeScript(`${header(sources)}\n${lines.join("\n")}\n`, options.prettier ?? {}) };
}

/** Inputs in the order output is generated in: by source path, so the result never depends on argument order. */
export function sortedInputs<T extends GenerateInput>(inputs: readonly T[]): T[] {
  return [...inputs].sort((a, b) => (a.sourcePath < b.sourcePath ? -1 : a.sourcePath > b.sourcePath ? 1 : 0));
}

/**
 * Throws when two inputs would be generated into the same file. Names are compared without
 * case: on macOS and Windows the two files would be one.
 */
export function assertDistinctOutputs(inputs: readonly GenerateInput[]): void {
  const seen = new Map<string, string>();
  for (const input of sortedInputs(inputs)) {
    const path = outputFileName(input.sourcePath);
    const first = seen.get(path.toLowerCase());
    if (first !== undefined) throw new Error(`${first} and ${input.sourcePath} would both be generated into ${path} (file names are compared without case)`);
    seen.set(path.toLowerCase(), input.sourcePath);
  }
}
