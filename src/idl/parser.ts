import { CstParser, EOF, type CstNode, type IParserErrorMessageProvider, type TokenType } from "chevrotain";
import {
  allTokens,
  Arrow,
  Brackets,
  Colon,
  Comma,
  ErrorKeyword,
  Identifier,
  InterfaceKeyword,
  InterfaceName,
  LParen,
  MethodKeyword,
  Question,
  RParen,
  TypeKeyword,
} from "./tokens.js";

// The grammar only: no semantics, no AST. It is more permissive than varlink (optional method
// and error structs, any type after `type`, mixed lists, stray commas, junk between members)
// so that the checker can name the exact rule a file breaks and parsing goes on after it.

function label(token: TokenType): string {
  return token === EOF ? "the end of the file" : (token.LABEL ?? token.name);
}

function found(token: { tokenType: TokenType; image: string }): string {
  return token.tokenType === EOF ? "the end of the file" : `'${token.image}'`;
}

const messages: IParserErrorMessageProvider = {
  buildMismatchTokenMessage: ({ expected, actual }) => `expected ${label(expected)}, found ${found(actual)}`,
  buildNotAllInputParsedMessage: ({ firstRedundant }) => `unexpected ${found(firstRedundant)}`,
  buildNoViableAltMessage: ({ expectedPathsPerAlt, actual, ruleName }) => {
    if (ruleName === "typeExpression") return `expected a type, found ${found(actual[0]!)}`;
    const firsts = new Set(
      expectedPathsPerAlt.flatMap((paths) => paths.map((path) => path[0])).filter((t) => t !== undefined),
    );
    return `expected ${[...firsts].map(label).join(" or ")}, found ${found(actual[0]!)}`;
  },
  buildEarlyExitMessage: ({ expectedIterationPaths, actual }) => {
    const firsts = new Set(expectedIterationPaths.map((path) => path[0]).filter((t) => t !== undefined));
    return `expected ${[...firsts].map(label).join(" or ")}, found ${found(actual[0]!)}`;
  },
};

/** Tokens that can never start a member; a run of them between members is reported as junk. */
const junkTokens = [
  Identifier,
  InterfaceKeyword,
  InterfaceName,
  Arrow,
  LParen,
  RParen,
  Comma,
  Colon,
  Question,
  Brackets,
];

export class VarlinkParser extends CstParser {
  constructor() {
    super(allTokens, {
      recoveryEnabled: true,
      errorMessageProvider: messages,
      maxLookahead: 2,
      nodeLocationTracking: "full",
    });
    this.performSelfAnalysis();
  }

  file = this.RULE("file", () => {
    this.OPTION(() => this.SUBRULE(this.header));
    this.MANY(() => this.SUBRULE(this.member));
  });

  header = this.RULE("header", () => {
    this.CONSUME(InterfaceKeyword);
    this.CONSUME(InterfaceName);
  });

  member = this.RULE("member", () => {
    this.OR([
      { ALT: () => this.SUBRULE(this.typeDeclaration) },
      { ALT: () => this.SUBRULE(this.methodDeclaration) },
      { ALT: () => this.SUBRULE(this.errorDeclaration) },
      { ALT: () => this.SUBRULE(this.junk) },
    ]);
  });

  typeDeclaration = this.RULE("typeDeclaration", () => {
    this.CONSUME(TypeKeyword);
    this.CONSUME(Identifier);
    this.SUBRULE(this.typeExpression);
  });

  methodDeclaration = this.RULE("methodDeclaration", () => {
    this.CONSUME(MethodKeyword);
    this.CONSUME(Identifier);
    this.OPTION(() => this.SUBRULE(this.typeExpression, { LABEL: "input" }));
    this.CONSUME(Arrow);
    this.OPTION2(() => this.SUBRULE2(this.typeExpression, { LABEL: "output" }));
  });

  errorDeclaration = this.RULE("errorDeclaration", () => {
    this.CONSUME(ErrorKeyword);
    this.CONSUME(Identifier);
    this.OPTION(() => this.SUBRULE(this.typeExpression));
  });

  junk = this.RULE("junk", () => {
    this.AT_LEAST_ONE(() => this.OR(junkTokens.map((token) => ({ ALT: () => this.CONSUME(token) }))));
  });

  typeExpression = this.RULE("typeExpression", () => {
    this.MANY(() =>
      this.OR([
        { ALT: () => this.CONSUME(Question, { LABEL: "prefix" }) },
        { ALT: () => this.CONSUME(Brackets, { LABEL: "prefix" }) },
      ]),
    );
    this.OR2([{ ALT: () => this.CONSUME(Identifier) }, { ALT: () => this.SUBRULE(this.list) }]);
    this.MANY2(() => this.CONSUME2(Brackets, { LABEL: "postfix" }));
  });

  list = this.RULE("list", () => {
    this.CONSUME(LParen);
    this.MANY(() => this.OR([{ ALT: () => this.SUBRULE(this.listItem) }, { ALT: () => this.CONSUME(Comma) }]));
    this.CONSUME(RParen);
  });

  listItem = this.RULE("listItem", () => {
    this.OR([
      { ALT: () => this.CONSUME(Identifier, { LABEL: "name" }) },
      { ALT: () => this.CONSUME(InterfaceKeyword, { LABEL: "name" }) },
      { ALT: () => this.CONSUME(TypeKeyword, { LABEL: "name" }) },
      { ALT: () => this.CONSUME(MethodKeyword, { LABEL: "name" }) },
      { ALT: () => this.CONSUME(ErrorKeyword, { LABEL: "name" }) },
    ]);
    this.OPTION(() => {
      this.CONSUME(Colon);
      this.SUBRULE(this.typeExpression);
    });
  });
}

let instance: VarlinkParser | undefined;

/**
 * One parser instance is reused: Chevrotain parsers are built once and fed new input. It is
 * built on first use, not at import: its self-analysis is wasted on commands that parse nothing.
 */
export function varlinkParser(): VarlinkParser {
  instance ??= new VarlinkParser();
  return instance;
}

export type { CstNode };
