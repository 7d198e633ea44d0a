import { readFileSync } from "node:fs";
import path from "node:path";
import { repoRoot } from "./paths.js";

/** The fenced block after `<!-- snippet: NAME -->` in README.md, so tests run what users copy. */
export function readmeSnippet(name: string): string {
  const readme = readFileSync(path.join(repoRoot, "README.md"), "utf8");
  const marker = readme.indexOf(`<!-- snippet: ${name} -->`);
  if (marker < 0) throw new Error(`README.md has no snippet named ${name}`);
  const match = /```[a-z]*\n([\s\S]*?)```/.exec(readme.slice(marker));
  if (!match) throw new Error(`the snippet ${name} has no code block`);
  return match[1]!;
}
