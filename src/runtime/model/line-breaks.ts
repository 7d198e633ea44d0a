// The line breaks of varlink's grammar (UAPI.20), as the IDL front end's lexer knows them: a
// comment runs to the first one. Text printed into a comment is broken at every one of them, so
// that no documentation can end its comment early and add a member.

const breakCharacters = "\\n\\r\\u2028\\u2029";

/** One line break; `\r\n` is one. */
export const lineBreak = /* @__PURE__ */ new RegExp(`\\r\\n|[${breakCharacters}]`);

/** The rest of a line: where a comment ends. */
export const restOfLine = /* @__PURE__ */ new RegExp(`[^${breakCharacters}]*`);

/** Blanks within a line: white space that breaks no line. */
export const inlineSpace = /* @__PURE__ */ new RegExp(`[^\\S${breakCharacters}]+`);

/** The lines of a text as varlink's grammar breaks them: at LF, CR, CRLF, U+2028 and U+2029. */
export function linesOf(text: string): string[] {
  return text.split(lineBreak);
}
