import { interfaceBaseName, NameScope, outputFileName } from "./names.js";
import { header } from "./header.js";
import { sortedInputs } from "./inputs.js";
import type { GeneratedFile, GenerateOptions } from "./options.js";
import { formatTypeScript } from "./print.js";

// index.ts re-exports every interface module under a namespace named after the interface. It is
// the one output that depends on all inputs together.

export const indexFileName = "index.ts";

/** What index.ts needs of each input: where it came from and the interface's name. */
export interface IndexEntry {
  sourcePath: string;
  describedBy?: string | undefined;
  model: { name: string };
}

export async function generateIndex(
  inputs: readonly IndexEntry[],
  options: GenerateOptions = {},
): Promise<GeneratedFile> {
  const extension = options.importExtension ?? ".js";
  const sorted = sortedInputs(inputs);
  const namespaces = new NameScope();
  const lines = sorted.map((input) => {
    const name = namespaces.claim(interfaceBaseName(input.model.name));
    const module = outputFileName(input.sourcePath).replace(/\.ts$/, extension);
    return `/** ${input.model.name} */\nexport * as ${name} from ${JSON.stringify(`./${module}`)};`;
  });
  // Interfaces one service described are named with it; files by their paths.
  const describedBy = sorted[0]?.describedBy;
  const fromService = describedBy !== undefined && sorted.every((input) => input.describedBy === describedBy);
  const first = fromService
    ? header(sorted.map((input) => input.model.name).join(", "), describedBy, sorted.length > 1)
    : header(sorted.map((input) => input.sourcePath).join(", "));
  return {
    path: indexFileName,
    content: await formatTypeScript(`${first}\n${lines.join("\n")}\n`, options.prettier ?? null),
  };
}
