import { outputFileName } from "./names.js";

// Ordering and naming checks on inputs by their paths alone, so that callers that have not
// parsed anything (a generation served from a cache) can use them without loading the generator.

/** Inputs in the order output is generated in: by source path, so the result never depends on argument order. */
export function sortedInputs<T extends { sourcePath: string }>(inputs: readonly T[]): T[] {
  return [...inputs].sort((a, b) => (a.sourcePath < b.sourcePath ? -1 : a.sourcePath > b.sourcePath ? 1 : 0));
}

/**
 * Throws when two inputs would be generated into the same file. Names are compared without
 * case: on macOS and Windows the two files would be one.
 */
export function assertDistinctOutputs(inputs: ReadonlyArray<{ sourcePath: string }>): void {
  const seen = new Map<string, string>();
  for (const input of sortedInputs(inputs)) {
    const path = outputFileName(input.sourcePath);
    const first = seen.get(path.toLowerCase());
    if (first !== undefined)
      throw new Error(
        `${first} and ${input.sourcePath} would both be generated into ${path} (file names are compared without case)`,
      );
    seen.set(path.toLowerCase(), input.sourcePath);
  }
}
