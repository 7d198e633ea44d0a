import type { GeneratedFile, GenerateInput, GenerateOptions } from "../codegen/options.js";
import { GenerationCache } from "./generation-cache.js";

// generate() with a cache in front: each interface file is looked up by the hash of its own
// input, index.ts by the list of all inputs. The generator (ts-morph, prettier) is loaded only
// when something is missing.

export interface CachedGenerateRequest {
  inputs: Array<GenerateInput & { text: string }>;
  options: GenerateOptions;
  /** Identifies the generator's code and dependencies. */
  fingerprint: string;
  cache: GenerationCache | undefined;
}

export async function generateCached({ inputs, options, fingerprint, cache }: CachedGenerateRequest): Promise<GeneratedFile[]> {
  const { assertDistinctOutputs, sortedInputs, generateIndex } = await import("../codegen/index-file.js");
  assertDistinctOutputs(inputs);
  const sorted = sortedInputs(inputs);
  const files: GeneratedFile[] = [];
  for (const input of sorted) {
    const key = GenerationCache.key(["interface", fingerprint, options, input.sourcePath, input.text]);
    let file = await cache?.get(key);
    if (file === undefined) {
      const { generateInterfaceFile } = await import("../codegen/generate.js");
      file = await generateInterfaceFile(input, options);
      await cache?.set(key, file);
    }
    files.push(file);
  }
  if (options.index !== false && sorted.length > 0) {
    const key = GenerationCache.key(["index", fingerprint, options, sorted.map((i) => [i.sourcePath, i.definition.name])]);
    let index = await cache?.get(key);
    if (index === undefined) {
      index = await generateIndex(sorted, options);
      await cache?.set(key, index);
    }
    files.push(index);
  }
  await cache?.prune();
  return files;
}
