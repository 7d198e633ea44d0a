import { createToken, Lexer, type CustomPatternMatcherFunc, type TokenType } from "chevrotain";

// The lexer is deliberately lenient: names are lexed loosely (digits, `_`, `.`, `-`, any
// Unicode letter) and any bracket group is one token, so that the checker can say exactly
// which naming or prefix rule was broken instead of reporting an unexpected character.

/** Matches a sticky regular expression at `offset`, as Chevrotain's custom patterns must. */
function sticky(re: RegExp): CustomPatternMatcherFunc {
  const pattern = new RegExp(re.source, re.flags.includes("y") ? re.flags : `${re.flags}y`);
  return (text, offset) => {
    pattern.lastIndex = offset;
    return pattern.exec(text);
  };
}

export const WhiteSpace = createToken({
  name: "WhiteSpace",
  // UAPI.20's whitespace and line ends (ECMA-262 style), Unicode spaces included.
  pattern: /[ \t\u00A0\uFEFF\u1680\u180E\u2000-\u200A\u202F\u205F\u3000\n\r\u2028\u2029]+/,
  group: Lexer.SKIPPED,
  line_breaks: true,
});

export const Comment = createToken({
  name: "Comment",
  pattern: /#[^\n\r\u2028\u2029]*/,
  group: "comments",
});

const wordChars = "[\\p{L}\\p{N}_]";

export const Identifier = createToken({
  name: "Identifier",
  label: "a name",
  // Dots and hyphens inside a word are kept in the token so that `foo.bar` is one bad name.
  pattern: sticky(new RegExp(`${wordChars}(?:[\\p{L}\\p{N}_.\\-]*${wordChars})?`, "u")),
  line_breaks: false,
});

// Token names are written out, not built: they are the keys of the typed CST (cst.ts).
export const InterfaceKeyword = createToken({
  name: "InterfaceKeyword",
  label: "'interface'",
  pattern: "interface",
  longer_alt: Identifier,
});
export const TypeKeyword = createToken({
  name: "TypeKeyword",
  label: "'type'",
  pattern: "type",
  longer_alt: Identifier,
});
export const MethodKeyword = createToken({
  name: "MethodKeyword",
  label: "'method'",
  pattern: "method",
  longer_alt: Identifier,
});
export const ErrorKeyword = createToken({
  name: "ErrorKeyword",
  label: "'error'",
  pattern: "error",
  longer_alt: Identifier,
});

const interfaceNamePattern = /[^\s#()\u00A0\uFEFF\u1680\u180E\u2000-\u200A\u202F\u205F\u3000\u2028\u2029]+/y;

/**
 * The interface name is any run of visible characters right after the leading `interface`
 * keyword: it may hold dots, hyphens or worse, and the checker explains what is wrong with it.
 * Only the first token of the file can be that keyword, so `interface: string` fields are safe.
 */
export const InterfaceName = createToken({
  name: "InterfaceName",
  label: "an interface name",
  pattern: (text, offset, tokens) => {
    if (tokens.length !== 1 || tokens[0]?.tokenType !== InterfaceKeyword) return null;
    interfaceNamePattern.lastIndex = offset;
    return interfaceNamePattern.exec(text);
  },
  line_breaks: false,
});

export const Arrow = createToken({ name: "Arrow", label: "'->'", pattern: "->" });
export const LParen = createToken({ name: "LParen", label: "'('", pattern: "(" });
export const RParen = createToken({ name: "RParen", label: "')'", pattern: ")" });
export const Comma = createToken({ name: "Comma", label: "','", pattern: "," });
export const Colon = createToken({ name: "Colon", label: "':'", pattern: ":" });
export const Question = createToken({ name: "Question", label: "'?'", pattern: "?" });
/** `[]`, `[string]`, or any other bracket group on one line, which the checker rejects. */
export const Brackets = createToken({
  name: "Brackets",
  label: "'[]' or '[string]'",
  pattern: /\[[^\]\n\r\u2028\u2029]*\]/,
});

export const memberKeywords = [TypeKeyword, MethodKeyword, ErrorKeyword];

/** Order matters: the first pattern that matches wins, so the interface name and keywords come first. */
export const allTokens: TokenType[] = [
  WhiteSpace,
  Comment,
  InterfaceName,
  InterfaceKeyword,
  TypeKeyword,
  MethodKeyword,
  ErrorKeyword,
  Identifier,
  Arrow,
  LParen,
  RParen,
  Comma,
  Colon,
  Question,
  Brackets,
];
