import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";

// What generated output depends on besides the inputs: the generator's own code. The JavaScript
// files beside this module are hashed (the whole bundle, when the CLI is bundled), and, where the
// stages are separate folders (compiled by tsc), the IDL front end's and the generator's, so a
// changed generator is never mistaken for an unchanged one. prettier's version counts too: its
// document printer lays the code out.

let cached: string | undefined;

export function generatorFingerprint(): string {
  if (cached !== undefined) return cached;
  const here = path.dirname(fileURLToPath(import.meta.url));
  const hash = createHash("sha256");
  for (const dir of [here, path.join(here, "..", "codegen"), path.join(here, "..", "idl")]) {
    if (!existsSync(dir)) continue;
    for (const name of readdirSync(dir)
      .filter((f) => f.endsWith(".js"))
      .sort()) {
      hash
        .update(name)
        .update("\0")
        .update(readFileSync(path.join(dir, name)))
        .update("\0");
    }
  }
  const require = createRequire(import.meta.url);
  for (const dependency of ["prettier"]) {
    const manifest = JSON.parse(readFileSync(require.resolve(`${dependency}/package.json`), "utf8")) as {
      version: string;
    };
    hash.update(`${dependency}@${manifest.version}\0`);
  }
  cached = hash.digest("hex");
  return cached;
}
