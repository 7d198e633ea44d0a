import type { GeneratedFile, GenerateOptions } from "../codegen/options.js";
import { assertDistinctOutputs, sortedInputs } from "../codegen/inputs.js";
import type { Diagnostic, InterfaceDefinition } from "../idl/index.js";
import { GenerationCache } from "./generation-cache.js";

// generate() with a cache in front: each interface file is looked up by the hash of its own
// input, index.ts by the list of all inputs. An entry is written only for an input that parsed
// without errors, by the same generator (the fingerprint covers the parser too), so a hit needs
// no parsing: it keeps the interface's name and any warnings. The parser and the generator
// are loaded only when something is missing.

export interface Source {
  /** The path shown in headers and messages. */
  sourcePath: string;
  text: string;
  /** Introspected: the service and address that described it (named in the headers). */
  describedBy?: string | undefined;
}

export interface CachedGenerateRequest {
  sources: Source[];
  options: GenerateOptions;
  /** Identifies the generator's code and dependencies. */
  fingerprint: string;
  cache: GenerationCache | undefined;
}

export interface CachedGenerateResult {
  /** Every file, or none when an input has errors. */
  files: GeneratedFile[] | undefined;
  /** Each source's diagnostics, in the order of `sources`; those of a cache hit are warnings. */
  diagnostics: Diagnostic[][];
}

/** What the cache keeps for one interface file. */
interface InterfaceEntry {
  file: GeneratedFile;
  interfaceName: string;
  diagnostics: Diagnostic[];
}

function isInterfaceEntry(value: unknown): value is InterfaceEntry {
  const entry = value as Partial<InterfaceEntry> | undefined;
  return (
    typeof entry?.file?.path === "string" &&
    typeof entry.file.content === "string" &&
    typeof entry.interfaceName === "string" &&
    Array.isArray(entry.diagnostics)
  );
}

export async function generateCached({
  sources,
  options,
  fingerprint,
  cache,
}: CachedGenerateRequest): Promise<CachedGenerateResult> {
  assertDistinctOutputs(sources);
  const keys = sources.map((source) =>
    GenerationCache.key([
      "interface",
      fingerprint,
      options,
      source.sourcePath,
      source.describedBy ?? null,
      source.text,
    ]),
  );
  const entries: Array<InterfaceEntry | undefined> = (await Promise.all(keys.map((key) => cache?.getValue(key)))).map(
    (value) => (isInterfaceEntry(value) ? value : undefined),
  );
  const diagnostics = entries.map((entry) => entry?.diagnostics ?? []);
  const missing = sources.flatMap((_, i) => (entries[i] === undefined ? [i] : []));
  if (missing.length > 0) {
    const { hasErrors, parseInterface, toInterfaceModel } = await import("../idl/index.js");
    const parsed = new Map<number, InterfaceDefinition>();
    for (const i of missing) {
      const result = parseInterface(sources[i]!.text, { file: sources[i]!.sourcePath });
      diagnostics[i] = result.diagnostics;
      if (result.definition) parsed.set(i, result.definition);
    }
    if (hasErrors(diagnostics.flat())) return { files: undefined, diagnostics };
    const { generateInterfaceFile } = await import("../codegen/generate.js");
    // Entries are written while the next files are generated.
    const writes: Array<Promise<void>> = [];
    for (const i of missing) {
      const definition = parsed.get(i)!;
      // The text generated code carries is the source as written; the rest is the runtime's model of it.
      const input = {
        model: toInterfaceModel(definition),
        description: definition.source,
        sourcePath: sources[i]!.sourcePath,
        describedBy: sources[i]!.describedBy,
      };
      const entry = {
        file: await generateInterfaceFile(input, options),
        interfaceName: definition.name,
        diagnostics: diagnostics[i]!,
      };
      entries[i] = entry;
      if (cache !== undefined) writes.push(cache.setValue(keys[i]!, entry));
    }
    await Promise.all(writes);
  }
  const ordered = sortedInputs(
    sources.map((source, i) => ({
      sourcePath: source.sourcePath,
      describedBy: source.describedBy,
      entry: entries[i]!,
    })),
  );
  const files = ordered.map(({ entry }) => entry.file);
  if (options.index !== false && ordered.length > 0) {
    const named = ordered.map(({ sourcePath, describedBy, entry }) => ({
      sourcePath,
      describedBy,
      model: { name: entry.interfaceName },
    }));
    const key = GenerationCache.key([
      "index",
      fingerprint,
      options,
      named.map((i) => [i.sourcePath, i.describedBy ?? null, i.model.name]),
    ]);
    let index = await cache?.get(key);
    if (index === undefined) {
      const { generateIndex } = await import("../codegen/index-file.js");
      index = await generateIndex(named, options);
      await cache?.set(key, index);
    }
    files.push(index);
  }
  await cache?.prune();
  return { files, diagnostics };
}
