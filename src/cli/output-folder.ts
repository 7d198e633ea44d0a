import { createHash } from "node:crypto";
import { readdir, readFile, rm } from "node:fs/promises";
import path from "node:path";
import { generatedHeaderPrefix, type GeneratedFile } from "../codegen/options.js";
import { writeAtomically } from "./files.js";

// The output folder of `generate`: which generated files are there and what changed. It holds
// generated files only; what a run needs to know that nothing is stale (the output record) is
// kept in the generation cache.

/** A manifest earlier versions kept in the output folder; it is removed when found. */
const legacyManifestName = ".varlink-ts-manifest.json";

/** What the last run wrote into a folder, and from what: the fingerprint of all it depends on. */
export interface OutputRecord {
  fingerprint: string;
  files: Record<string, string>;
}

export interface Changes {
  missing: string[];
  stale: string[];
  extra: string[];
}

export function sha256(text: string | Buffer): string {
  return createHash("sha256").update(text).digest("hex");
}

/** The generated files in `dir` (recognised by their first line); other files are not ours. */
export async function readGenerated(dir: string): Promise<Map<string, string>> {
  const found = new Map<string, string>();
  const names = await readdir(dir).catch(() => [] as string[]);
  for (const name of names.filter((n) => n.endsWith(".ts")).sort()) {
    const content = await readFile(path.join(dir, name), "utf8").catch(() => undefined);
    if (content?.startsWith(generatedHeaderPrefix)) found.set(name, content);
  }
  return found;
}

export function outputRecord(fingerprint: string, files: readonly GeneratedFile[]): OutputRecord {
  return { fingerprint, files: Object.fromEntries(files.map((f) => [f.path, sha256(f.content)])) };
}

/** True when the record's fingerprint matches and every generated file is as recorded. */
export function recordHolds(record: unknown, fingerprint: string, existing: Map<string, string>): boolean {
  const { fingerprint: recordedFingerprint, files } = (record ?? {}) as Partial<OutputRecord>;
  if (recordedFingerprint !== fingerprint || typeof files !== "object" || files === null) return false;
  const recorded = Object.keys(files);
  if (recorded.length !== existing.size) return false;
  return recorded.every((name) => existing.has(name) && sha256(existing.get(name)!) === files[name]);
}

export function compare(expected: readonly GeneratedFile[], existing: Map<string, string>): Changes {
  const wanted = new Set(expected.map((f) => f.path));
  return {
    missing: expected.filter((f) => !existing.has(f.path)).map((f) => f.path),
    stale: expected.filter((f) => existing.has(f.path) && existing.get(f.path) !== f.content).map((f) => f.path),
    extra: [...existing.keys()].filter((name) => !wanted.has(name)),
  };
}

/** Writes what changed and removes generated files no input produces any more. */
export async function applyChanges(dir: string, expected: readonly GeneratedFile[], changes: Changes): Promise<void> {
  const write = new Set([...changes.missing, ...changes.stale]);
  await Promise.all([
    ...expected
      .filter((file) => write.has(file.path))
      .map((file) => writeAtomically(path.join(dir, file.path), file.content)),
    ...changes.extra.map((name) => rm(path.join(dir, name), { force: true })),
    rm(path.join(dir, legacyManifestName), { force: true }),
  ]);
}
