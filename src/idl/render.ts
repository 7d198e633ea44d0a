import type { Range } from "./ast.js";
import type { Diagnostic } from "./diagnostics.js";
import { LineMap } from "./positions.js";

// Prints diagnostics the way compilers do:
//   path:line:col - error code: message
// followed by a code frame with a caret under the range. Colour is the caller's choice
// (on a terminal only), so the same function serves terminals, files and tests.

export interface RenderOptions {
  color?: boolean;
}

const ansi = {
  red: "\u001b[31m",
  yellow: "\u001b[33m",
  cyan: "\u001b[36m",
  gray: "\u001b[90m",
  bold: "\u001b[1m",
  reset: "\u001b[0m",
};

/** Lines longer than this are shown as a window around the problem. */
const maxFrameWidth = 120;

export function location(file: string, range: Range): string {
  return `${file}:${range.start.line}:${range.start.column}`;
}

export function renderDiagnostic(
  diagnostic: Diagnostic,
  source: string | LineMap,
  options: RenderOptions = {},
): string {
  const paint = (code: string, text: string): string => (options.color ? `${code}${text}${ansi.reset}` : text);
  const lines = typeof source === "string" ? new LineMap(source) : source;
  const severityColor = diagnostic.severity === "error" ? ansi.red : ansi.yellow;
  const header =
    `${paint(ansi.cyan, location(diagnostic.file, diagnostic.range))} - ` +
    `${paint(severityColor, diagnostic.severity)} ${paint(ansi.gray, diagnostic.code)}: ${diagnostic.message}`;
  const out = [
    header,
    "",
    ...codeFrame(
      lines,
      diagnostic.range,
      (t) => paint(ansi.gray, t),
      (t) => paint(severityColor, t),
    ),
  ];
  for (const related of diagnostic.related) {
    out.push(
      `  ${paint(ansi.gray, `${related.message}:`)} ${paint(ansi.cyan, location(diagnostic.file, related.range))}`,
    );
  }
  for (const fix of diagnostic.fixes) out.push(`  ${paint(ansi.cyan, "help:")} ${fix.message}`);
  return `${out.join("\n")}\n`;
}

/** Every diagnostic of one file, each followed by a blank line; the file's lines are mapped once. */
export function renderDiagnostics(
  diagnostics: readonly Diagnostic[],
  source: string,
  options: RenderOptions = {},
): string {
  const lines = new LineMap(source);
  return diagnostics.map((diagnostic) => `${renderDiagnostic(diagnostic, lines, options)}\n`).join("");
}

function codeFrame(lines: LineMap, range: Range, dim: (t: string) => string, mark: (t: string) => string): string[] {
  const lineNumber = Math.min(range.start.line, lines.lineCount);
  const text = lines.lineText(lineNumber);
  const startColumn = range.start.column;
  const endColumn = range.end.line === range.start.line ? range.end.column : text.length + 1;
  let shown = visible(text);
  let caretStart = startColumn - 1;
  let caretLength = Math.max(1, endColumn - startColumn);
  if (shown.length > maxFrameWidth) {
    const from = Math.max(0, Math.min(caretStart - 40, shown.length - maxFrameWidth));
    shown =
      (from > 0 ? "…" : "") + shown.slice(from, from + maxFrameWidth) + (from + maxFrameWidth < text.length ? "…" : "");
    caretStart = caretStart - from + (from > 0 ? 1 : 0);
  }
  caretLength = Math.min(caretLength, Math.max(1, shown.length - caretStart));
  const gutter = String(lineNumber);
  const pad = " ".repeat(gutter.length);
  // Tabs stay tabs under the caret so that it lines up whatever the terminal's tab width.
  const caretIndent = shown.slice(0, caretStart).replace(/[^\t]/g, " ");
  return [`${dim(`  ${gutter} |`)} ${shown}`, `${dim(`  ${pad} |`)} ${caretIndent}${mark("^".repeat(caretLength))}`];
}

/** Control characters would garble the terminal; each becomes one replacement character. */
function visible(text: string): string {
  return text.replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, "\ufffd");
}

export interface Summary {
  errors: number;
  warnings: number;
  files: number;
}

export function summarize(diagnostics: readonly Diagnostic[], files: number): Summary {
  const errors = diagnostics.filter((d) => d.severity === "error").length;
  return { errors, warnings: diagnostics.length - errors, files };
}

export function renderSummary(summary: Summary): string {
  const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? "" : "s"}`;
  if (summary.errors === 0 && summary.warnings === 0) return `Checked ${plural(summary.files, "file")}: no problems.\n`;
  return `Found ${plural(summary.errors, "error")} and ${plural(summary.warnings, "warning")} in ${plural(summary.files, "file")}.\n`;
}
