import { readFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { UsageError } from "../io.js";

// The explorer page's script and style sheet, built into dist/explorer by `npm run build` and
// read once when the bridge starts with --ui.

export interface ExplorerAssets {
  script: string;
  style: string;
}

/** The package's folder: the nearest one above this module whose package.json is varlink-ts's. */
async function packageRoot(): Promise<string | undefined> {
  let folder = path.dirname(fileURLToPath(import.meta.url));
  for (let depth = 0; depth < 6; depth++) {
    const manifest = await readFile(path.join(folder, "package.json"), "utf8").catch(() => undefined);
    if (manifest !== undefined && (JSON.parse(manifest) as { name?: string }).name === "varlink-ts") return folder;
    folder = path.dirname(folder);
  }
  return undefined;
}

export async function loadExplorerAssets(): Promise<ExplorerAssets> {
  const root = await packageRoot();
  const folder = root !== undefined ? path.join(root, "dist", "explorer") : undefined;
  try {
    if (folder === undefined) throw new Error("no package folder");
    const [script, style] = await Promise.all([
      readFile(path.join(folder, "app.js"), "utf8"),
      readFile(path.join(folder, "app.css"), "utf8"),
    ]);
    return { script, style };
  } catch {
    throw new UsageError(
      `--ui: the explorer's files are missing from this installation (${folder ?? "dist/explorer"}); build them with npm run build`,
    );
  }
}
