import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import path from "node:path";
import { test } from "node:test";
import { docFiles, docText, snippetMarkers } from "../helpers/docs.js";
import { repoRoot } from "../helpers/paths.js";

// The documentation holds together: every snippet name finds one block, every relative link a
// file, and every `#anchor` a heading there.

/** The text outside fenced blocks, where a `#` line is a heading. */
function withoutFences(text: string): string {
  return text.replace(/^```[^\n]*\n[\s\S]*?^```$/gm, "");
}

/** The text outside fenced blocks and code spans, where a link is a link. */
function prose(text: string): string {
  return withoutFences(text).replace(/`[^`\n]*`/g, "");
}

/** The anchors GitHub gives a file's headings: lowercased, punctuation dropped, spaces as hyphens, repeats numbered. */
function anchors(text: string): Set<string> {
  const seen = new Map<string, number>();
  const result = new Set<string>();
  for (const [, heading] of withoutFences(text).matchAll(/^#{1,6} (.+)$/gm)) {
    const slug = heading!
      .trim()
      .toLowerCase()
      .replace(/[^\p{L}\p{M}\p{N} _-]/gu, "")
      .replaceAll(" ", "-");
    const count = seen.get(slug) ?? 0;
    seen.set(slug, count + 1);
    result.add(count === 0 ? slug : `${slug}-${count}`);
  }
  return result;
}

/** Every relative link in a documentation file, as written. */
function relativeLinks(file: string): string[] {
  return [...prose(docText(file)).matchAll(/\]\(([^)\s]+)\)/g)]
    .map((match) => match[1]!)
    .filter((target) => !/^[a-z][a-z0-9+.-]*:/i.test(target));
}

test("every snippet name is given once across the documentation", () => {
  const markers = snippetMarkers();
  const repeated = markers.filter(({ name }) => markers.filter((other) => other.name === name).length > 1);
  assert.deepEqual(repeated, [], "snippet names must be unique: tests find a snippet by its name in any file");
});

test("every relative link in the documentation points at a file and a heading that exist", () => {
  const broken = docFiles().flatMap((file) =>
    relativeLinks(file).flatMap((link) => {
      const [target, anchor] = link.split("#") as [string, string | undefined];
      const resolved = target === "" ? path.join(repoRoot, file) : path.resolve(repoRoot, path.dirname(file), target);
      if (!existsSync(resolved)) return [`${file}: ${link} (no such file)`];
      if (anchor === undefined || !resolved.endsWith(".md")) return [];
      return anchors(docText(path.relative(repoRoot, resolved))).has(anchor)
        ? []
        : [`${file}: ${link} (no such heading)`];
    }),
  );
  assert.deepEqual(broken, []);
});
