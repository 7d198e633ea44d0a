import { Lexer, type IToken } from "chevrotain";
import { allTokens } from "./tokens.js";
import type { DiagnosticSink } from "./diagnostics.js";
import type { LineMap } from "./positions.js";

let lexer: Lexer | undefined;

/** Built on first use, like the parser: commands that lex nothing skip its analysis. */
function varlinkLexer(): Lexer {
  lexer ??= new Lexer(allTokens, {
    positionTracking: "full",
    // UAPI.20 line ends, so that line numbers agree with what editors show.
    lineTerminatorsPattern: /\n|\r\n?|\u2028|\u2029/g,
    lineTerminatorCharacters: ["\n", "\r", "\u2028", "\u2029"],
    ensureOptimizations: false,
    skipValidations: true,
  });
  return lexer;
}

export interface LexResult {
  tokens: IToken[];
  comments: IToken[];
}

/** Lexes `text` (the file, or a repaired copy of the same length); `lines` maps its offsets. */
export function tokenize(lines: LineMap, sink: DiagnosticSink, text = lines.text): LexResult {
  const result = varlinkLexer().tokenize(text);
  for (const error of result.errors) {
    const bad = text.slice(error.offset, error.offset + error.length);
    sink.report("invalid-character", lines.range(error.offset, error.length), `unexpected ${describeCharacters(bad)}`);
  }
  return { tokens: result.tokens, comments: result.groups["comments"] ?? [] };
}

function describeCharacters(run: string): string {
  const first = run.codePointAt(0) ?? 0;
  const shown = first < 0x20 || first === 0x7f ? "" : ` '${String.fromCodePoint(first)}'`;
  const code = `U+${first.toString(16).toUpperCase().padStart(4, "0")}`;
  const more = run.length > 1 ? ` (and ${run.length - 1} more characters that are not varlink)` : "";
  return `character${shown} (${code})${more}`;
}
