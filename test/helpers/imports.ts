import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";

// How the tests that read the sources find them, and what each imports: every `.ts` file under
// a folder (built output left out), type imports and re-exports included.

/** The `.ts` source files under `folder` (hand-written declarations too), skipping `dist` and `node_modules`. */
export function sourceFiles(folder: string): string[] {
  return readdirSync(folder, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(folder, entry.name);
    if (entry.isDirectory()) return entry.name === "dist" || entry.name === "node_modules" ? [] : sourceFiles(full);
    return entry.name.endsWith(".ts") ? [full] : [];
  });
}

/** Every module specifier `file` imports or re-exports: `from "…"`, `import "…"` and `import("…")`. */
export function importSpecifiers(file: string): string[] {
  return [
    ...readFileSync(file, "utf8").matchAll(/\bfrom\s+"([^"]+)"|\bimport\s+"([^"]+)"|\bimport\(\s*"([^"]+)"\s*\)/g),
  ].map((m) => (m[1] ?? m[2] ?? m[3])!);
}

/** The source files `file` imports by a relative specifier, as `.ts` paths. */
export function relativeImports(file: string): string[] {
  return importSpecifiers(file)
    .filter((specifier) => specifier.startsWith("./") || specifier.startsWith("../"))
    .map((specifier) => path.resolve(path.dirname(file), specifier).replace(/\.js$/, ".ts"));
}
