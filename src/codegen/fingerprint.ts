import { createHash } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

// What the output depends on besides the inputs: the generator's own code. Every JavaScript
// file beside this module is hashed (the codegen folder, or the whole bundle when bundled), so a
// changed generator is never mistaken for an unchanged one.

let cached: string | undefined;

export function generatorFingerprint(): string {
  if (cached !== undefined) return cached;
  const here = path.dirname(fileURLToPath(import.meta.url));
  const hash = createHash("sha256");
  for (const name of readdirSync(here).filter((f) => f.endsWith(".js")).sort()) {
    hash.update(name).update("\0").update(readFileSync(path.join(here, name))).update("\0");
  }
  cached = hash.digest("hex");
  return cached;
}
