import { CodeActionKind, type CodeAction, type Diagnostic } from "vscode-languageserver";
import type { DiagnosticData } from "./convert.js";

// Code actions are the fix-its the diagnostics carry (in their `data`): one quick fix each,
// the first of a diagnostic marked preferred.

export function quickFixes(uri: string, diagnostics: readonly Diagnostic[]): CodeAction[] {
  return diagnostics.flatMap((diagnostic) => {
    const data = diagnostic.data as DiagnosticData | undefined;
    return (data?.fixes ?? []).map((fix, index) => ({
      title: fix.title,
      kind: CodeActionKind.QuickFix,
      diagnostics: [diagnostic],
      isPreferred: index === 0,
      edit: { changes: { [uri]: fix.edits } },
    }));
  });
}
