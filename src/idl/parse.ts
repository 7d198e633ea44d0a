import { EOF, type IRecognitionException, type IToken } from "chevrotain";
import type { InterfaceDefinition } from "./ast.js";
import { AstBuilder } from "./build-ast.js";
import type { FileCstNode } from "./cst.js";
import { checkInterface } from "./check.js";
import { DiagnosticSink, sortDiagnostics, type Diagnostic } from "./diagnostics.js";
import { repairForeignSyntax } from "./foreign-syntax.js";
import { tokenize } from "./lexer.js";
import { lintPortability } from "./lint.js";
import { varlinkParser } from "./parser.js";
import { LineMap, tokenRange } from "./positions.js";
import { Brackets, LParen, memberKeywords, Question, RParen } from "./tokens.js";

/** Deeper nesting than this is refused before parsing, so that no input can exhaust the stack. */
export const maxNesting = 200;

export interface ParseOptions {
  /** The file name used in diagnostics. */
  file?: string;
  /** Add the portability warnings (what systemd refuses). */
  lint?: boolean;
}

export interface ParseResult {
  /** Present whenever the file has an `interface` header, even if it has errors. */
  definition: InterfaceDefinition | undefined;
  diagnostics: Diagnostic[];
}

/**
 * Parses and checks one `.varlink` file. Never throws on any input: every problem, syntax or
 * semantic, comes back as a diagnostic, all of them in one run.
 */
export function parseInterface(text: string, options: ParseOptions = {}): ParseResult {
  const sink = new DiagnosticSink(options.file ?? "<input>");
  const lines = new LineMap(text);
  const { tokens, comments } = tokenize(lines, sink, repairForeignSyntax(lines, sink));
  if (!withinNestingLimit(tokens, sink))
    return { definition: undefined, diagnostics: sortDiagnostics(sink.diagnostics) };

  const parser = varlinkParser();
  parser.input = tokens;
  const cst = parser.file() as FileCstNode;
  reportParseErrors(parser.errors, lines, tokens, sink);

  const builder = new AstBuilder(lines, sink, comments, parser.errors.length > 0);
  const { definition, junkAtStart } = builder.buildFile(cst);
  if (definition === undefined) {
    reportMissingInterface(tokens, junkAtStart, lines, sink);
  } else {
    checkInterface(definition, sink, builder.incomplete);
    if (options.lint) lintPortability(definition, sink);
  }
  return { definition, diagnostics: sortDiagnostics(sink.diagnostics) };
}

function withinNestingLimit(tokens: IToken[], sink: DiagnosticSink): boolean {
  let depth = 0;
  let prefixes = 0;
  for (const token of tokens) {
    if (token.tokenType === LParen) depth++;
    else if (token.tokenType === RParen) depth = Math.max(0, depth - 1);
    prefixes = token.tokenType === Question || token.tokenType === Brackets ? prefixes + 1 : 0;
    if (depth + prefixes > maxNesting) {
      sink.report(
        "nesting-too-deep",
        tokenRange(token),
        `types nest more than ${maxNesting} levels deep here; varlink-ts does not read further`,
      );
      return false;
    }
  }
  return true;
}

function reportMissingInterface(
  tokens: IToken[],
  junk: IToken | undefined,
  lines: LineMap,
  sink: DiagnosticSink,
): void {
  const first = junk ?? tokens[0];
  if (first === undefined) {
    sink.report(
      "missing-interface",
      lines.range(0, 0),
      "the file is empty: a varlink file starts with 'interface NAME'",
    );
    return;
  }
  const suggestion =
    /^interface./.test(first.image) || /^interfac/.test(first.image) ? " (did you mean 'interface'?)" : "";
  sink.report(
    "missing-interface",
    tokenRange(first),
    `expected 'interface NAME' at the start of the file, found '${first.image}'${suggestion}`,
  );
}

/** Chevrotain sets the token before the failure on mismatch errors, but does not type it. */
type ParseError = IRecognitionException & { previousToken?: IToken };

function reportParseErrors(errors: ParseError[], lines: LineMap, tokens: IToken[], sink: DiagnosticSink): void {
  const seen = new Set<string>();
  for (const error of errors) {
    const token = error.token;
    const atEnd = token.tokenType === EOF;
    // At the end of the file, point just past the last token rather than at trailing blank lines.
    const last = tokens[tokens.length - 1];
    const endOffset = last ? last.startOffset + last.image.length : lines.text.length;
    const range = atEnd ? lines.range(endOffset, 0) : tokenRange(token);
    const key = `${range.start.offset}:${error.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    if (atEnd) {
      const open = lastUnclosedParen(tokens);
      sink.report(
        "unexpected-end",
        range,
        `unexpected end of file: ${error.message.replace(/, found the end of the file$/, "")}`,
        open ? [{ message: "the '(' that is never closed", range: tokenRange(open) }] : [],
      );
    } else if (isMissingName(error)) {
      sink.report(
        "missing-name",
        range,
        `expected a name after '${error.previousToken?.image}', found '${token.image}'`,
      );
    } else {
      sink.report("syntax-error", range, error.message);
    }
  }
}

function isMissingName(error: ParseError): boolean {
  const previous = error.previousToken?.tokenType;
  return error.name === "MismatchedTokenException" && previous !== undefined && memberKeywords.includes(previous);
}

function lastUnclosedParen(tokens: IToken[]): IToken | undefined {
  const open: IToken[] = [];
  for (const token of tokens) {
    if (token.tokenType === LParen) open.push(token);
    else if (token.tokenType === RParen) open.pop();
  }
  return open[0];
}
