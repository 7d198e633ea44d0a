import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import type { FormatOptions } from "../codegen/print.js";
import { GenerationCache } from "./generation-cache.js";
import { sha256 } from "./output-folder.js";

// The user's prettier configuration is part of what the output depends on, but loading prettier
// just to read it costs more than an up-to-date `generate --check` does otherwise. prettier's
// resolveConfig (with .editorconfig) reads only files in the folders from the formatted file up
// to the root, so their names and contents tell whether a resolution kept in the cache holds.

/** Files whose text decides the configuration. */
const configFiles = new Set([
  "package.json",
  "package.yaml",
  ".prettierrc",
  ".prettierrc.json",
  ".prettierrc.yml",
  ".prettierrc.yaml",
  ".prettierrc.json5",
  ".prettierrc.toml",
  ".editorconfig",
]);
/** Project-root markers: prettier stops looking for .editorconfig files at them. */
const rootMarkers = new Set([".git", ".hg"]);
/** Configurations written as code may depend on anything: never assumed unchanged. */
const codeConfig = /^(\.prettierrc|prettier\.config)\.(js|mjs|cjs|ts|mts|cts)$/;

/**
 * What prettier's configuration for `file` depends on, as a hash, and whether any file there
 * configures prettier at all; undefined when code decides it.
 */
export function prettierConfigSources(file: string): { hash: string; configured: boolean } | undefined {
  const found: Array<[string, string]> = [];
  let configured = false;
  for (let dir = path.dirname(path.resolve(file)); ; dir = path.dirname(dir)) {
    let names: string[] = [];
    try {
      names = readdirSync(dir).sort();
    } catch {
      // a folder that does not exist yet (the output) or cannot be read holds no configuration
    }
    for (const name of names) {
      if (codeConfig.test(name)) return undefined;
      const full = path.join(dir, name);
      if (rootMarkers.has(name)) found.push([full, ""]);
      else if (configFiles.has(name)) {
        const text = readText(full);
        found.push([full, text]);
        configured ||= configures(name, text);
      }
    }
    if (path.dirname(dir) === dir) break;
  }
  return { hash: sha256(JSON.stringify([path.resolve(file), found])), configured };
}

/** Whether a file prettier reads sets anything: a package manifest only with a "prettier" key. */
function configures(name: string, text: string): boolean {
  if (name === "package.json") {
    try {
      return (JSON.parse(text) as Record<string, unknown> | null)?.["prettier"] !== undefined;
    } catch {
      return true;
    }
  }
  if (name === "package.yaml") return /^prettier\s*:/m.test(text);
  return true;
}

function readText(file: string): string {
  try {
    return readFileSync(file, "utf8");
  } catch {
    return "\0unreadable";
  }
}

/**
 * The prettier options for `file`: none when no file configures prettier there; else from the
 * cache when nothing they depend on changed (nor the generator, whose fingerprint includes
 * prettier's version), else resolved by prettier.
 */
export async function prettierConfigFor(
  file: string,
  generator: string,
  cache: GenerationCache | undefined,
): Promise<FormatOptions | null> {
  const sources = prettierConfigSources(file);
  // Nothing configures prettier here: its defaults apply, and the output already has them.
  if (sources !== undefined && !sources.configured) return null;
  const key =
    sources === undefined || cache === undefined
      ? undefined
      : GenerationCache.key(["prettier-config", generator, sources.hash]);
  if (key !== undefined) {
    const kept = (await cache!.getValue(key)) as { options?: FormatOptions | null } | undefined;
    if (kept !== undefined && kept.options !== undefined) return kept.options;
  }
  const prettier = await import("prettier");
  const options = await prettier.resolveConfig(file, { editorconfig: true });
  if (key !== undefined) await cache!.setValue(key, { options });
  return options;
}
