import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

/** The repository root: the folder with our package.json, found from this compiled file. */
export const repoRoot = ((): string => {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  while (
    !existsSync(path.join(dir, "package.json")) ||
    !readFileSync(path.join(dir, "package.json"), "utf8").includes('"name": "varlink-ts"')
  ) {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error("package.json of varlink-ts not found");
    dir = parent;
  }
  return dir;
})();

/** The shared corpus beside the checkout (`../shared/corpus`), or VARLINK_CORPUS. */
export const corpusDir = process.env["VARLINK_CORPUS"] ?? path.resolve(repoRoot, "../shared/corpus");

/**
 * Why the tests that read the corpus are skipped, or false where they run. A fresh clone has no
 * corpus beside it, so they skip there with this reason; CI must have it (.ci/run checks), so
 * under CI they always run and fail on a missing file.
 */
export const corpusSkip: string | false =
  existsSync(path.join(corpusDir, "valid")) || process.env["CI"]
    ? false
    : `the shared corpus is not at ${corpusDir} (put it there or set VARLINK_CORPUS)`;

export const fixturesDir = path.join(repoRoot, "fixtures");

export interface CorpusFile {
  name: string;
  path: string;
  text: string;
}

/** The `.varlink` files directly in a corpus folder, sorted by name; none where corpusSkip says why. */
export function corpusFiles(folder: string): CorpusFile[] {
  if (corpusSkip) return [];
  const dir = path.join(corpusDir, folder);
  return readdirSync(dir)
    .filter((name) => name.endsWith(".varlink"))
    .sort()
    .map((name) => ({ name, path: path.join(dir, name), text: readFileSync(path.join(dir, name), "utf8") }));
}

/** Set UPDATE_GOLDEN=1 to rewrite golden files instead of comparing with them. */
export const updateGolden = process.env["UPDATE_GOLDEN"] === "1";
