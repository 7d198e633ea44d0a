import type { TextDocument } from "vscode-languageserver-textdocument";
import {
  DiagnosticSeverity,
  type Diagnostic as LspDiagnostic,
  type Range as LspRange,
  type TextEdit as LspTextEdit,
} from "vscode-languageserver";
import type { Diagnostic, Fix, Range } from "../idl/index.js";

// Our ranges carry offsets; LSP positions are computed from them by the document, so line
// breaks and UTF-16 columns are counted the way the client counts them.

export function toLspRange(document: TextDocument, range: Range): LspRange {
  return { start: document.positionAt(range.start.offset), end: document.positionAt(range.end.offset) };
}

/** What a diagnostic's fixes travel as, in its `data`, to come back with a code action request. */
export interface DiagnosticData {
  fixes: Array<{ title: string; edits: LspTextEdit[] }>;
}

export function toLspDiagnostic(document: TextDocument, diagnostic: Diagnostic): LspDiagnostic {
  const data: DiagnosticData = { fixes: diagnostic.fixes.map((fix) => toLspFix(document, fix)) };
  return {
    range: toLspRange(document, diagnostic.range),
    severity: diagnostic.severity === "error" ? DiagnosticSeverity.Error : DiagnosticSeverity.Warning,
    code: diagnostic.code,
    source: "varlink-ts",
    message: diagnostic.message,
    relatedInformation: diagnostic.related.map((related) => ({
      location: { uri: document.uri, range: toLspRange(document, related.range) },
      message: related.message,
    })),
    data,
  };
}

function toLspFix(document: TextDocument, fix: Fix): DiagnosticData["fixes"][number] {
  return {
    title: fix.message,
    edits: fix.edits.map((edit) => ({ range: toLspRange(document, edit.range), newText: edit.newText })),
  };
}
