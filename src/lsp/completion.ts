import { CompletionItemKind, InsertTextFormat, type CompletionItem } from "vscode-languageserver";
import type { Analysis } from "./analysis.js";

// Completion by place: keywords where a member starts, type names where a type goes, and
// systemd's method annotations in a comment above a method.

const builtins = ["bool", "int", "float", "string", "object", "any"];

const annotations = [
  "[Requires 'more' flag]",
  "[Supports 'more' flag]",
  "[Requires 'upgrade' flag]",
  "[Supports 'upgrade' flag]",
];

const memberSnippets: Array<{ label: string; snippet: string; detail: string }> = [
  { label: "type", snippet: "type ${1:Name} (${2:field}: ${3:string})", detail: "a struct or enum type" },
  { label: "method", snippet: "method ${1:Name}(${2}) -> (${3})", detail: "a method" },
  { label: "error", snippet: "error ${1:Name} (${2})", detail: "an error" },
];

export function complete(analysis: Analysis, offset: number): CompletionItem[] {
  const text = analysis.text;
  const lineStart = text.lastIndexOf("\n", offset - 1) + 1;
  const before = text.slice(lineStart, offset);
  const hash = before.indexOf("#");
  if (hash >= 0) return commentCompletions(text, offset, before.slice(hash + 1));
  // The word being typed is left out: what comes before it decides the place.
  const context = before.replace(/[\p{L}\p{N}_]*$/u, "");
  if (/(?::|\[\]|\[string\]|\?)\s*$/.test(context)) return typeCompletions(analysis);
  if (context.trim() === "" && parenDepth(text, lineStart) === 0) {
    if (analysis.definition === undefined)
      return [
        {
          label: "interface",
          kind: CompletionItemKind.Keyword,
          insertText: "interface ${1:org.example.name}",
          insertTextFormat: InsertTextFormat.Snippet,
        },
      ];
    return memberSnippets.map(({ label, snippet, detail }) => ({
      label,
      kind: CompletionItemKind.Keyword,
      detail,
      insertText: snippet,
      insertTextFormat: InsertTextFormat.Snippet,
    }));
  }
  return [];
}

function typeCompletions(analysis: Analysis): CompletionItem[] {
  const declared = [...analysis.members.values()].filter((member) => member.kind === "type");
  return [
    ...declared.map((member) => ({
      label: member.name,
      kind:
        member.kind === "type" && member.definition.kind === "enum"
          ? CompletionItemKind.Enum
          : CompletionItemKind.Struct,
      detail: "type",
      ...(member.doc !== undefined ? { documentation: member.doc } : {}),
    })),
    ...builtins.map((name) => ({ label: name, kind: CompletionItemKind.Keyword, detail: "builtin type" })),
  ];
}

/** In a comment, annotations are offered when the comment block stands above a method. */
function commentCompletions(text: string, offset: number, comment: string): CompletionItem[] {
  const rest = text.slice(offset);
  const next = /\n(?:[ \t]*#[^\n]*\n)*[ \t]*(\S+)/.exec(rest);
  if (next?.[1] !== "method") return [];
  const typed = comment.trimStart();
  return annotations
    .filter(
      (annotation) =>
        annotation.startsWith(typed.trim()) ||
        typed.trim() === "" ||
        annotation.toLowerCase().includes(typed.trim().toLowerCase()),
    )
    .map((annotation) => ({
      label: annotation,
      kind: CompletionItemKind.Snippet,
      detail: "systemd's method flag annotation",
      filterText: annotation,
      insertText: annotation,
    }));
}

function parenDepth(text: string, end: number): number {
  let depth = 0;
  let inComment = false;
  for (let i = 0; i < end; i++) {
    const c = text[i];
    if (c === "#") inComment = true;
    else if (c === "\n") inComment = false;
    else if (!inComment && c === "(") depth++;
    else if (!inComment && c === ")") depth = Math.max(0, depth - 1);
  }
  return depth;
}
