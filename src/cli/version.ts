// Taken from the process rather than imported: importing node:fs builds its ES module facade,
// which loads Node's streams (~7 ms), and `varlink-ts --version` needs nothing else.
const { readFileSync } = process.getBuiltinModule("node:fs");
const { fileURLToPath } = process.getBuiltinModule("node:url");

/** Our package's folder and version, found by walking up from this module (bundled or not). */
function findPackage(): { root: string; version: string } | undefined {
  for (let url = new URL("./package.json", import.meta.url), i = 0; i < 6; i++, url = new URL("../package.json", url)) {
    try {
      const manifest = JSON.parse(readFileSync(url, "utf8")) as { name?: string; version?: string };
      if (manifest.name === "varlink-ts" && manifest.version)
        return { root: fileURLToPath(new URL(".", url)), version: manifest.version };
    } catch {
      // not here: keep walking up
    }
  }
  return undefined;
}

const found = findPackage();

export const packageVersion = found?.version ?? "0.0.0";

/** The installed package's folder (where templates/ lives), if it can be found. */
export const packageRoot = found?.root;
