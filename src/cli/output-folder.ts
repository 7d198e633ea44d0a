import { createHash } from "node:crypto";
import { readdir, readFile, rm } from "node:fs/promises";
import path from "node:path";
import { generatedHeaderPrefix, type GeneratedFile } from "../codegen/options.js";
import { writeAtomically } from "./files.js";

// The output folder of `generate`: which generated files are there, what changed, and a
// manifest that lets `generate --check` see that nothing is stale without generating again.

export const manifestName = ".varlink-ts-manifest.json";

export interface Manifest {
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

export async function readManifest(dir: string): Promise<Manifest | undefined> {
  try {
    const value = JSON.parse(await readFile(path.join(dir, manifestName), "utf8")) as Manifest;
    return typeof value.fingerprint === "string" && typeof value.files === "object" ? value : undefined;
  } catch {
    return undefined;
  }
}

/** True when the manifest's fingerprint matches and every generated file is as recorded. */
export function manifestHolds(manifest: Manifest | undefined, fingerprint: string, existing: Map<string, string>): boolean {
  if (manifest === undefined || manifest.fingerprint !== fingerprint) return false;
  const recorded = Object.keys(manifest.files);
  if (recorded.length !== existing.size) return false;
  return recorded.every((name) => existing.has(name) && sha256(existing.get(name)!) === manifest.files[name]);
}

export function compare(expected: readonly GeneratedFile[], existing: Map<string, string>): Changes {
  const wanted = new Set(expected.map((f) => f.path));
  return {
    missing: expected.filter((f) => !existing.has(f.path)).map((f) => f.path),
    stale: expected.filter((f) => existing.has(f.path) && existing.get(f.path) !== f.content).map((f) => f.path),
    extra: [...existing.keys()].filter((name) => !wanted.has(name)),
  };
}

/** Writes what changed, removes generated files no input produces any more, records the manifest. */
export async function applyChanges(dir: string, expected: readonly GeneratedFile[], changes: Changes, fingerprint: string): Promise<void> {
  const write = new Set([...changes.missing, ...changes.stale]);
  for (const file of expected) if (write.has(file.path)) await writeAtomically(path.join(dir, file.path), file.content);
  for (const name of changes.extra) await rm(path.join(dir, name), { force: true });
  const manifest: Manifest = { fingerprint, files: Object.fromEntries(expected.map((f) => [f.path, sha256(f.content)])) };
  const text = JSON.stringify(manifest, null, 2) + "\n";
  const current = await readFile(path.join(dir, manifestName), "utf8").catch(() => undefined);
  if (current !== text) await writeAtomically(path.join(dir, manifestName), text);
}
