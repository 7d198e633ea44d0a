import type { TextDocument } from "vscode-languageserver-textdocument";
import type { Range as LspRange, TextEdit } from "vscode-languageserver";
import { printInterface } from "@varlink-ts/runtime/model";
import { hasErrors, parseInterface, toInterfaceModel, type Member } from "../idl/index.js";
import type { Analysis } from "./analysis.js";

// Formatting with the canonical printer (the runtime's printInterface, which `fmt` uses). A file with errors is left as
// it is: the formatter prints what it parsed, and a half-parsed file would lose text.

export function formatDocument(document: TextDocument, analysis: Analysis): TextEdit[] {
  const formatted = canonical(analysis);
  if (formatted === undefined || formatted === analysis.text) return [];
  return [
    { range: { start: { line: 0, character: 0 }, end: document.positionAt(analysis.text.length) }, newText: formatted },
  ];
}

/**
 * Range formatting: the members the range touches are replaced by their canonical text, each
 * with the documentation lines right above it; the rest of the file is left alone.
 */
export function formatRange(document: TextDocument, analysis: Analysis, range: LspRange): TextEdit[] {
  const formatted = canonical(analysis);
  if (formatted === undefined || analysis.definition === undefined) return [];
  const after = parseInterface(formatted).definition;
  if (after === undefined || after.members.length !== analysis.definition.members.length) return [];
  const from = document.offsetAt(range.start);
  const to = document.offsetAt(range.end);
  const edits: TextEdit[] = [];
  analysis.definition.members.forEach((member, index) => {
    const [start, end] = memberSpan(analysis.text, member);
    if (end < from || start > to) return;
    const [newStart, newEnd] = memberSpan(formatted, after.members[index]!);
    const newText = formatted.slice(newStart, newEnd);
    if (newText !== analysis.text.slice(start, end))
      edits.push({ range: { start: document.positionAt(start), end: document.positionAt(end) }, newText });
  });
  return edits;
}

function canonical(analysis: Analysis): string | undefined {
  if (analysis.definition === undefined || hasErrors(analysis.diagnostics)) return undefined;
  return printInterface(toInterfaceModel(analysis.definition));
}

/** A member's lines, from the first line of its documentation to the end of its last line. */
function memberSpan(text: string, member: Member): [number, number] {
  const docLines = member.doc === undefined ? 0 : member.doc.split("\n").length;
  let start = text.lastIndexOf("\n", member.range.start.offset - 1) + 1;
  for (let i = 0; i < docLines && start > 0; i++) start = text.lastIndexOf("\n", start - 2) + 1;
  let end = text.indexOf("\n", member.range.end.offset);
  if (end < 0) end = text.length;
  return [start, end];
}
