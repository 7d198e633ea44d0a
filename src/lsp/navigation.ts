import type { TextDocument } from "vscode-languageserver-textdocument";
import {
  ResponseError,
  ErrorCodes,
  type Location,
  type Range as LspRange,
  type WorkspaceEdit,
} from "vscode-languageserver";
import { memberNameProblem } from "@varlink-ts/runtime/model";
import type { Member } from "../idl/index.js";
import type { Analysis } from "./analysis.js";
import { toLspRange } from "./convert.js";

// Go to definition, find references and rename, for the names a file declares: types (which
// other declarations refer to), methods and errors. They share one namespace.

/** The declared member a position names: its declaration, or a reference to a type. */
export function memberAt(analysis: Analysis, offset: number): Member | undefined {
  const target = analysis.targetAt(offset);
  if (target?.kind === "member") return target.member;
  if (target?.kind === "reference") return analysis.typeNamed(target.reference.name);
  return undefined;
}

export function definition(document: TextDocument, analysis: Analysis, offset: number): Location | null {
  const member = memberAt(analysis, offset);
  return member === undefined ? null : { uri: document.uri, range: toLspRange(document, member.nameRange) };
}

export function references(
  document: TextDocument,
  analysis: Analysis,
  offset: number,
  includeDeclaration: boolean,
): Location[] {
  const member = memberAt(analysis, offset);
  if (member === undefined) return [];
  const [declaration, ...uses] = analysis.occurrences(member);
  return (includeDeclaration ? [declaration!, ...uses] : uses).map((range) => ({
    uri: document.uri,
    range: toLspRange(document, range),
  }));
}

/** Where a rename may start: the name under the cursor, or an error saying why not. */
export function prepareRename(
  document: TextDocument,
  analysis: Analysis,
  offset: number,
): { range: LspRange; placeholder: string } {
  const target = analysis.targetAt(offset);
  const range =
    target?.kind === "member" ? target.range : target?.kind === "reference" ? target.reference.range : undefined;
  const member = memberAt(analysis, offset);
  if (member === undefined || range === undefined)
    throw new ResponseError(ErrorCodes.InvalidRequest, "only a declared type, method or error can be renamed here");
  return { range: toLspRange(document, range), placeholder: member.name };
}

export function rename(document: TextDocument, analysis: Analysis, offset: number, newName: string): WorkspaceEdit {
  const member = memberAt(analysis, offset);
  if (member === undefined)
    throw new ResponseError(ErrorCodes.InvalidRequest, "only a declared type, method or error can be renamed here");
  if (newName === member.name) return { changes: {} };
  const problem = memberNameProblem(newName);
  if (problem !== undefined)
    throw new ResponseError(ErrorCodes.InvalidParams, `'${newName}' is not a valid ${member.kind} name: ${problem}`);
  const taken = analysis.members.get(newName);
  if (taken !== undefined)
    throw new ResponseError(
      ErrorCodes.InvalidParams,
      `'${newName}' is already declared as a ${taken.kind}: types, methods and errors share one namespace`,
    );
  const edits = analysis.occurrences(member).map((range) => ({ range: toLspRange(document, range), newText: newName }));
  return { changes: { [document.uri]: edits } };
}
