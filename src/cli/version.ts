import { readFileSync } from "node:fs";

/** The version in our package.json, found by walking up from this module (bundled or not). */
function readVersion(): string {
  for (let url = new URL("./package.json", import.meta.url), i = 0; i < 6; i++, url = new URL("../package.json", url)) {
    try {
      const manifest = JSON.parse(readFileSync(url, "utf8")) as { name?: string; version?: string };
      if (manifest.name === "varlink-ts" && manifest.version) return manifest.version;
    } catch {
      // not here: keep walking up
    }
  }
  return "0.0.0";
}

export const packageVersion = readVersion();
