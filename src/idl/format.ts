import { typeText } from "@varlink-ts/runtime/model";
import type { Comment, EnumValue, Field, InterfaceDefinition, Member, TypeNode } from "./ast.js";
import { typeModel } from "./to-model.js";

// The canonical text of an interface: documentation and every comment kept, two-space
// indentation, one blank line between members, lists on one line when they fit in
// `lineWidth` columns and hold no comments, otherwise one entry per line.

export const lineWidth = 80;
const indentUnit = "  ";

export function formatInterface(definition: InterfaceDefinition): string {
  const out: string[] = [];
  pushDetached(out, definition.trivia.detached, "");
  pushDoc(out, definition.doc, "");
  out.push(`interface ${definition.name}${trailing(definition.trivia.trailing)}`);
  for (const member of definition.members) {
    out.push("");
    pushDetached(out, member.trivia.detached, "");
    pushDoc(out, member.doc, "");
    out.push(formatMember(member) + trailing(member.trivia.trailing));
  }
  if (definition.closingComments.length > 0) {
    out.push("");
    for (const comment of definition.closingComments) out.push(commentLine(comment));
  }
  return out.join("\n") + "\n";
}

/** A type expression on one line, comments left out: for messages and generated docs. */
export function typeToString(type: TypeNode): string {
  return typeText(typeModel(type));
}

function formatMember(member: Member): string {
  switch (member.kind) {
    case "type": {
      const head = `type ${member.name} `;
      return head + formatType(member.definition, "", head.length, 0);
    }
    case "error": {
      const head = `error ${member.name} `;
      return member.parameters ? head + formatType(member.parameters, "", head.length, 0) : head.trimEnd();
    }
    case "method": {
      const head = `method ${member.name}`;
      const input = member.input ? formatType(member.input, "", head.length, " -> ()".length) : "()";
      const afterInput = lastLineLength(head + input) + " -> ".length;
      const output = member.output ? formatType(member.output, "", afterInput, 0) : "()";
      return `${head}${input} -> ${output}`;
    }
  }
}

/**
 * `column` is where the type starts on its line and `suffix` how many characters must still
 * fit after it, so that the one-line form is only chosen when the whole line fits.
 */
function formatType(type: TypeNode, indent: string, column: number, suffix: number): string {
  switch (type.kind) {
    case "primitive":
    case "reference":
      return type.name;
    case "array":
      return "[]" + formatType(type.element, indent, column + 2, suffix);
    case "map":
      return "[string]" + formatType(type.value, indent, column + 8, suffix);
    case "nullable":
      return "?" + formatType(type.inner, indent, column + 1, suffix);
    case "struct":
    case "enum": {
      const flat = typeToString(type);
      if (!hasComments(type) && column + flat.length + suffix <= lineWidth) return flat;
      return formatBrokenList(type.kind === "struct" ? type.fields : type.values, type.closingComments, indent);
    }
  }
}

function formatBrokenList(entries: ReadonlyArray<Field | EnumValue>, closing: Comment[], indent: string): string {
  const inner = indent + indentUnit;
  const out: string[] = ["("];
  entries.forEach((entry, index) => {
    pushDetached(out, entry.trivia.detached, inner);
    pushDoc(out, entry.doc, inner);
    const comma = index < entries.length - 1 ? "," : "";
    const head = `${inner}${entry.name}`;
    const body =
      entry.kind === "field" ? `${head}: ${formatType(entry.type, inner, head.length + 2, comma.length)}` : head;
    out.push(body + comma + trailing(entry.trivia.trailing));
  });
  for (const comment of closing) out.push(inner + commentLine(comment));
  out.push(`${indent})`);
  return out.join("\n");
}

function hasComments(type: TypeNode): boolean {
  switch (type.kind) {
    case "array":
      return hasComments(type.element);
    case "map":
      return hasComments(type.value);
    case "nullable":
      return hasComments(type.inner);
    case "struct":
      return (
        type.closingComments.length > 0 ||
        type.fields.some((f) => entryHasComments(f) || hasComments(f.type))
      );
    case "enum":
      return type.closingComments.length > 0 || type.values.some(entryHasComments);
    default:
      return false;
  }
}

function entryHasComments(entry: Field | EnumValue): boolean {
  return entry.doc !== undefined || entry.trivia.detached.length > 0 || entry.trivia.trailing !== undefined;
}

/** Detached comments keep a blank line after them, so they never turn into documentation. */
function pushDetached(out: string[], comments: Comment[], indent: string): void {
  if (comments.length === 0) return;
  for (const comment of comments) out.push(indent + commentLine(comment));
  out.push("");
}

function pushDoc(out: string[], doc: string | undefined, indent: string): void {
  if (doc === undefined) return;
  for (const line of doc.split("\n")) out.push(line === "" ? `${indent}#` : `${indent}# ${line}`);
}

function commentLine(comment: Comment): string {
  return `#${comment.text}`;
}

function trailing(comment: Comment | undefined): string {
  return comment ? ` ${commentLine(comment)}` : "";
}

function lastLineLength(text: string): number {
  return text.length - text.lastIndexOf("\n") - 1;
}
