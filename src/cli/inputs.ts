import { readdir, stat } from "node:fs/promises";
import path from "node:path";
import { globBase, globToRegExp, isGlob } from "./glob.js";
import { UsageError } from "./io.js";

const skippedFolders = new Set(["node_modules", ".git"]);

async function walk(folder: string, found: string[]): Promise<void> {
  const entries = await readdir(folder, { withFileTypes: true });
  for (const entry of entries) {
    const full = path.join(folder, entry.name);
    if (entry.isDirectory()) {
      if (!skippedFolders.has(entry.name) && !entry.name.startsWith(".")) await walk(full, found);
    } else if (entry.isFile() || entry.isSymbolicLink()) {
      found.push(full);
    }
  }
}

/**
 * Expands FILE, DIR and GLOB arguments into `.varlink` files, sorted and without duplicates.
 * A folder means every `.varlink` file below it; a name that matches nothing is a usage error.
 */
export async function expandInputs(args: readonly string[], cwd: string): Promise<string[]> {
  const files = new Set<string>();
  for (const arg of args) {
    if (isGlob(arg) && !(await exists(path.resolve(cwd, arg)))) {
      const base = globBase(arg);
      const matcher = globToRegExp(arg);
      const found: string[] = [];
      if (await exists(path.resolve(cwd, base))) await walk(path.resolve(cwd, base), found);
      const matches = found
        .map((file) => path.relative(cwd, file))
        .filter(
          (relative) => matcher.test(relative.split(path.sep).join("/")) || matcher.test(path.resolve(cwd, relative)),
        );
      if (matches.length === 0) throw new UsageError(`no file matches '${arg}'`);
      for (const match of matches) files.add(match);
      continue;
    }
    const info = await stat(path.resolve(cwd, arg)).catch(() => undefined);
    if (info === undefined) throw new UsageError(`cannot read '${arg}': no such file or folder`);
    if (info.isDirectory()) {
      const found: string[] = [];
      await walk(path.resolve(cwd, arg), found);
      for (const file of found) if (file.endsWith(".varlink")) files.add(path.relative(cwd, file) || file);
    } else {
      files.add(arg);
    }
  }
  return [...files].sort();
}

async function exists(file: string): Promise<boolean> {
  return stat(file).then(
    () => true,
    () => false,
  );
}
