import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { repoRoot } from "./paths.js";

// The documentation a user reads: the README, the guides in docs/, CONTRIBUTING.md,
// ARCHITECTURE.md and CHANGELOG.md. Tests find what they run and check here by name, wherever it lives.

/** The documentation's files, relative to the repository root. */
export function docFiles(): string[] {
  const guides = readdirSync(path.join(repoRoot, "docs"))
    .filter((file) => file.endsWith(".md"))
    .sort()
    .map((file) => `docs/${file}`);
  return ["README.md", ...guides, "CONTRIBUTING.md", "ARCHITECTURE.md", "CHANGELOG.md"].filter((file) =>
    existsSync(path.join(repoRoot, file)),
  );
}

export function docText(file: string): string {
  return readFileSync(path.join(repoRoot, file), "utf8");
}

/** Every `<!-- snippet: NAME -->` marker, with the file and line (1-based) it is on. */
export function snippetMarkers(): Array<{ name: string; file: string; line: number }> {
  return docFiles().flatMap((file) =>
    docText(file)
      .split("\n")
      .flatMap((text, index) => {
        const name = /^<!-- snippet: ([\w-]+) -->$/.exec(text)?.[1];
        return name === undefined ? [] : [{ name, file, line: index + 1 }];
      }),
  );
}

/** The text of the file that holds the snippet NAME, from its marker on. */
function fromSnippet(name: string): string {
  const marker = `<!-- snippet: ${name} -->`;
  const file = docFiles().find((candidate) => docText(candidate).includes(marker));
  if (file === undefined) throw new Error(`no documentation file has a snippet named ${name}`);
  const text = docText(file);
  return text.slice(text.indexOf(marker));
}

/** The fenced block after `<!-- snippet: NAME -->`, so tests run what users copy. */
export function docSnippet(name: string): string {
  const match = /```[a-z]*\n([\s\S]*?)```/.exec(fromSnippet(name));
  if (!match) throw new Error(`the snippet ${name} has no code block`);
  return match[1]!;
}

/** The fenced block after the snippet's own: what the documentation says it prints or writes. */
export function docBlockAfter(name: string): string {
  const after = fromSnippet(name).split("```").slice(2).join("```");
  const match = /```[a-z]*\n([\s\S]*?)```/.exec(after);
  if (!match) throw new Error(`the snippet ${name} is followed by no code block`);
  return match[1]!;
}

/** The first match of `pattern` in the documentation, where a figure that a test checks is stated. */
export function statedInDocs(pattern: RegExp): RegExpExecArray | null {
  for (const file of docFiles()) {
    const match = pattern.exec(docText(file));
    if (match) return match;
  }
  return null;
}
