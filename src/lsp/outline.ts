import type { TextDocument } from "vscode-languageserver-textdocument";
import { typeText } from "@varlink-ts/runtime/model";
import { FoldingRangeKind, SymbolKind, type DocumentSymbol, type FoldingRange } from "vscode-languageserver";
import { typeModel, type Member, type TypeNode } from "../idl/index.js";
import type { Analysis } from "./analysis.js";
import { toLspRange } from "./convert.js";

// The outline (document symbols) and folding ranges: members with their fields or values,
// multi-line declarations, and runs of comment lines.

function symbolKind(member: Member): SymbolKind {
  if (member.kind === "method") return SymbolKind.Method;
  if (member.kind === "error") return SymbolKind.Event;
  return member.definition.kind === "enum" ? SymbolKind.Enum : SymbolKind.Struct;
}

function detail(member: Member): string {
  if (member.kind === "method")
    return `(${member.input ? listText(member.input) : ""}) -> (${member.output ? listText(member.output) : ""})`;
  if (member.kind === "error") return "error";
  return member.definition.kind === "enum" ? "enum" : "struct";
}

function listText(type: TypeNode): string {
  return typeText(typeModel(type)).replace(/^\(|\)$/g, "");
}

function children(document: TextDocument, member: Member): DocumentSymbol[] {
  const list = member.kind === "type" ? member.definition : member.kind === "error" ? member.parameters : member.input;
  if (list?.kind === "struct") {
    return list.fields.map((field) => ({
      name: field.name,
      detail: typeText(typeModel(field.type)),
      kind: SymbolKind.Field,
      range: toLspRange(document, field.range),
      selectionRange: toLspRange(document, field.nameRange),
    }));
  }
  if (list?.kind === "enum") {
    return list.values.map((value) => ({
      name: value.name,
      kind: SymbolKind.EnumMember,
      range: toLspRange(document, value.range),
      selectionRange: toLspRange(document, value.nameRange),
    }));
  }
  return [];
}

export function documentSymbols(document: TextDocument, analysis: Analysis): DocumentSymbol[] {
  const definition = analysis.definition;
  if (definition === undefined) return [];
  const members = definition.members
    .filter((member) => member.name !== "")
    .map((member) => ({
      name: member.name,
      detail: detail(member),
      kind: symbolKind(member),
      range: toLspRange(document, member.range),
      selectionRange: toLspRange(document, member.nameRange),
      children: children(document, member),
    }));
  return [
    {
      name: definition.name || "interface",
      detail: "interface",
      kind: SymbolKind.Namespace,
      range: toLspRange(document, definition.range),
      selectionRange: toLspRange(document, definition.nameRange),
      children: members,
    },
  ];
}

export function foldingRanges(analysis: Analysis): FoldingRange[] {
  const ranges: FoldingRange[] = [];
  for (const member of analysis.definition?.members ?? []) {
    if (member.range.end.line > member.range.start.line)
      ranges.push({ startLine: member.range.start.line - 1, endLine: member.range.end.line - 1 });
  }
  // Runs of two or more comment lines.
  const lines = analysis.text.split(/\r\n|\r|\n/);
  let runStart: number | undefined;
  lines.forEach((line, index) => {
    const isComment = /^\s*#/.test(line);
    if (isComment && runStart === undefined) runStart = index;
    if (!isComment || index === lines.length - 1) {
      const end = isComment ? index : index - 1;
      if (runStart !== undefined && end > runStart)
        ranges.push({ startLine: runStart, endLine: end, kind: FoldingRangeKind.Comment });
      if (!isComment) runStart = undefined;
    }
  });
  return ranges;
}
