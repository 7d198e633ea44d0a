import { existsSync } from "node:fs";
import { readdir, readFile, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import type { GeneratedFile } from "../codegen/options.js";
import { makeFolder, writeAtomically } from "./files.js";
import { sha256 } from "./output-folder.js";

// Results kept by the hash of everything they were made from (the generator's code and
// dependencies, the options, the source path and text): generated files, and what a run needs to
// reuse them without parsing or loading prettier. A later run, in another output folder or after
// `rm -rf`, reuses them instead of working again. A changed input or generator changes the key,
// so it can never be served a stale result.

/** Entries beyond this many are pruned, oldest first. */
const maxEntries = 2000;

export class GenerationCache {
  private written = 0;
  private usable: Promise<boolean> | undefined;

  constructor(readonly dir: string) {}

  /**
   * Entries become source code, so a folder that someone else could write to (a shared
   * temporary directory) is not used: the cache then only costs nothing.
   */
  private trusted(): Promise<boolean> {
    this.usable ??= (async () => {
      await makeFolder(this.dir, 0o700).catch(() => undefined);
      const info = await stat(this.dir).catch(() => undefined);
      if (info === undefined || !info.isDirectory()) return false;
      const uid = process.getuid?.();
      return (uid === undefined || info.uid === uid) && (info.mode & 0o022) === 0;
    })();
    return this.usable;
  }

  static key(parts: unknown): string {
    return sha256(JSON.stringify(parts));
  }

  async get(key: string): Promise<GeneratedFile | undefined> {
    const entry = (await this.getValue(key)) as { path?: unknown; content?: unknown } | undefined;
    if (typeof entry?.path !== "string" || typeof entry.content !== "string") return undefined;
    return { path: entry.path, content: entry.content };
  }

  /** Best effort: a cache that cannot be written (read-only, full disk) only costs speed. */
  async set(key: string, file: GeneratedFile): Promise<void> {
    await this.setValue(key, { path: file.path, content: file.content });
  }

  /** Any JSON value stored under `key`; undefined when missing or damaged. */
  async getValue(key: string): Promise<unknown> {
    if (!(await this.trusted())) return undefined;
    const text = await readFile(this.entry(key), "utf8").catch(() => undefined);
    if (text === undefined) return undefined;
    try {
      const entry = JSON.parse(text) as { key?: unknown; value?: unknown };
      return entry.key === key ? entry.value : undefined;
    } catch {
      return undefined;
    }
  }

  async setValue(key: string, value: unknown): Promise<void> {
    if (!(await this.trusted())) return;
    await writeAtomically(this.entry(key), JSON.stringify({ key, value })).then(
      () => void this.written++,
      () => undefined,
    );
  }

  /** Keeps the folder from growing without bound; called once a run has written its entries. */
  async prune(): Promise<void> {
    if (this.written === 0) return;
    const names = (await readdir(this.dir).catch(() => [] as string[])).filter((n) => n.endsWith(".json"));
    if (names.length <= maxEntries) return;
    const aged = await Promise.all(
      names.map(async (name) => ({
        name,
        time: (await stat(path.join(this.dir, name)).catch(() => undefined))?.mtimeMs ?? 0,
      })),
    );
    aged.sort((a, b) => a.time - b.time);
    await Promise.all(
      aged.slice(0, names.length - maxEntries).map((e) => rm(path.join(this.dir, e.name), { force: true })),
    );
  }

  private entry(key: string): string {
    return path.join(this.dir, `${key}.json`);
  }
}

/**
 * Where the cache lives: $VARLINK_TS_CACHE_DIR, else `node_modules/.cache/varlink-ts` of the
 * nearest project above `from` (where bundlers and linters keep theirs), else a per-user folder
 * in the temporary directory.
 */
export function defaultCacheDir(from: string, env: Readonly<Record<string, string | undefined>>): string {
  const configured = env["VARLINK_TS_CACHE_DIR"];
  if (configured !== undefined && configured !== "") return path.resolve(configured);
  for (let dir = path.resolve(from); ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, "node_modules"))) return path.join(dir, "node_modules", ".cache", "varlink-ts");
    if (path.dirname(dir) === dir) break;
  }
  return path.join(tmpdir(), `varlink-ts-cache-${process.getuid?.() ?? "user"}`);
}
