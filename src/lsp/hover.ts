import type { TextDocument } from "vscode-languageserver-textdocument";
import { typeText } from "@varlink-ts/runtime/model";
import { MarkupKind, type Hover } from "vscode-languageserver";
import { docProse, typeModel, type Member } from "../idl/index.js";
import type { Analysis } from "./analysis.js";
import { toLspRange } from "./convert.js";

// Hover: a declaration's text and documentation, a method's streaming and upgrade flags, a
// builtin's meaning, and a line of help on each keyword.

const keywordHelp: Record<string, string> = {
  interface:
    "`interface NAME` starts the file: a reverse-domain name, like `org.example.ftl`. A file holds one interface.",
  type: "`type Name (...)` declares a struct `(name: type, ...)` or an enum `(a, b, ...)` that other declarations refer to by name.",
  method:
    "`method Name(input) -> (output)` declares a call: both sides are structs. `# [Requires 'more' flag]` above it marks a stream.",
  error: "`error Name (...)` declares an error a method may reply with, and its parameters.",
};

const builtinHelp: Record<string, string> = {
  bool: "`bool`: true or false.",
  int: "`int`: a signed 64-bit integer (beyond 2^53 it needs `bigint` in JavaScript).",
  float: "`float`: a double-precision number.",
  string: "`string`: UTF-8 text.",
  object: "`object`: any JSON object, unchecked.",
  any: "`any`: any JSON value, unchecked.",
};

function declarationText(analysis: Analysis, member: Member): string {
  return analysis.text.slice(member.range.start.offset, member.range.end.offset);
}

function modesLine(member: Member): string | undefined {
  if (member.kind !== "method") return undefined;
  const parts: string[] = [];
  if (member.modes.more === "requires") parts.push("streams: must be called with `more`");
  if (member.modes.more === "supports") parts.push("may stream: accepts `more`");
  if (member.modes.upgrade === "requires") parts.push("upgrades the connection: must be called with `upgrade`");
  if (member.modes.upgrade === "supports") parts.push("may upgrade the connection: accepts `upgrade`");
  return parts.length > 0 ? `*${parts.join("; ")}*` : undefined;
}

function memberHover(analysis: Analysis, member: Member): string {
  // The flag annotations are said in words by modesLine, not repeated from the documentation.
  return [`\`\`\`varlink\n${declarationText(analysis, member)}\n\`\`\``, modesLine(member), docProse(member.doc)]
    .filter((part) => part !== undefined)
    .join("\n\n");
}

export function hover(document: TextDocument, analysis: Analysis, offset: number): Hover | null {
  const target = analysis.targetAt(offset);
  if (target === undefined) return null;
  let value: string;
  let range: Parameters<typeof toLspRange>[1];
  switch (target.kind) {
    case "member":
      value = memberHover(analysis, target.member);
      range = target.range;
      break;
    case "reference": {
      const type = analysis.typeNamed(target.reference.name);
      value = type !== undefined ? memberHover(analysis, type) : `\`${target.reference.name}\` is not a declared type.`;
      range = target.reference.range;
      break;
    }
    case "field": {
      const field = target.field;
      const signature =
        field.kind === "field"
          ? `${field.name}: ${typeText(typeModel(field.type))}`
          : `${field.name} (a value of ${target.owner.name})`;
      value = [`\`\`\`varlink\n${signature}\n\`\`\``, field.doc].filter((part) => part !== undefined).join("\n\n");
      range = field.nameRange;
      break;
    }
    case "builtin":
      value = builtinHelp[target.type.name]!;
      range = target.type.range;
      break;
    case "interface":
      value = [`\`\`\`varlink\ninterface ${target.definition.name}\n\`\`\``, target.definition.doc]
        .filter((part) => part !== undefined)
        .join("\n\n");
      range = target.definition.nameRange;
      break;
    case "keyword":
      value = keywordHelp[target.keyword]!;
      range = target.range;
      break;
  }
  return { contents: { kind: MarkupKind.Markdown, value }, range: toLspRange(document, range) };
}
