// Generated from the grammar (parser.ts) by Chevrotain's generateCstDts; do not edit.
// test/idl/cst-types.test.ts keeps it in step (UPDATE_GOLDEN=1 rewrites it). Every child is
// optional: error recovery can leave any of them out.

import type { CstNode, IToken } from "chevrotain";

export interface FileCstNode extends CstNode {
  name: "file";
  children: FileCstChildren;
}

export type FileCstChildren = {
  header?: HeaderCstNode[];
  member?: MemberCstNode[];
};

export interface HeaderCstNode extends CstNode {
  name: "header";
  children: HeaderCstChildren;
}

export type HeaderCstChildren = {
  InterfaceKeyword?: IToken[];
  InterfaceName?: IToken[];
};

export interface MemberCstNode extends CstNode {
  name: "member";
  children: MemberCstChildren;
}

export type MemberCstChildren = {
  typeDeclaration?: TypeDeclarationCstNode[];
  methodDeclaration?: MethodDeclarationCstNode[];
  errorDeclaration?: ErrorDeclarationCstNode[];
  junk?: JunkCstNode[];
};

export interface TypeDeclarationCstNode extends CstNode {
  name: "typeDeclaration";
  children: TypeDeclarationCstChildren;
}

export type TypeDeclarationCstChildren = {
  TypeKeyword?: IToken[];
  Identifier?: IToken[];
  typeExpression?: TypeExpressionCstNode[];
};

export interface MethodDeclarationCstNode extends CstNode {
  name: "methodDeclaration";
  children: MethodDeclarationCstChildren;
}

export type MethodDeclarationCstChildren = {
  MethodKeyword?: IToken[];
  Identifier?: IToken[];
  input?: TypeExpressionCstNode[];
  Arrow?: IToken[];
  output?: TypeExpressionCstNode[];
};

export interface ErrorDeclarationCstNode extends CstNode {
  name: "errorDeclaration";
  children: ErrorDeclarationCstChildren;
}

export type ErrorDeclarationCstChildren = {
  ErrorKeyword?: IToken[];
  Identifier?: IToken[];
  typeExpression?: TypeExpressionCstNode[];
};

export interface JunkCstNode extends CstNode {
  name: "junk";
  children: JunkCstChildren;
}

export type JunkCstChildren = {
  Identifier?: IToken[];
  InterfaceKeyword?: IToken[];
  InterfaceName?: IToken[];
  Arrow?: IToken[];
  LParen?: IToken[];
  RParen?: IToken[];
  Comma?: IToken[];
  Colon?: IToken[];
  Question?: IToken[];
  Brackets?: IToken[];
};

export interface TypeExpressionCstNode extends CstNode {
  name: "typeExpression";
  children: TypeExpressionCstChildren;
}

export type TypeExpressionCstChildren = {
  prefix?: IToken[];
  Identifier?: IToken[];
  list?: ListCstNode[];
  postfix?: IToken[];
};

export interface ListCstNode extends CstNode {
  name: "list";
  children: ListCstChildren;
}

export type ListCstChildren = {
  LParen?: IToken[];
  listItem?: ListItemCstNode[];
  Comma?: IToken[];
  RParen?: IToken[];
};

export interface ListItemCstNode extends CstNode {
  name: "listItem";
  children: ListItemCstChildren;
}

export type ListItemCstChildren = {
  name?: IToken[];
  Colon?: IToken[];
  typeExpression?: TypeExpressionCstNode[];
};
