import type { StatementStructures, WriterFunction } from "ts-morph";
import { printStructure, StructureKind, VariableDeclarationKind } from "./ts-morph.js";
import { runtime, type EmitContext } from "./context.js";
import { emitChecks } from "./emit-checks.js";
import { emitClient } from "./emit-client.js";
import { emitErrors } from "./emit-errors.js";
import { emitServer } from "./emit-server.js";
import { emitTypes } from "./emit-types.js";
import { buildModel } from "./model.js";
import { header } from "./header.js";
import { generateIndex } from "./index-file.js";
import { assertDistinctOutputs, sortedInputs } from "./inputs.js";
import { outputFileName, runtimeNamespace } from "./names.js";
import { defaultRuntimeImport, type GeneratedFile, type GenerateInput, type GenerateOptions } from "./options.js";
import { formatTypeScript } from "./print.js";

// interfaces and options in, files out: no file system, the same bytes for the same input.

/**
 * The module's text, printed from its structures by ts-morph. Printing needs no project: a
 * project would parse the text back into a syntax tree that nothing here reads.
 */
function sourceFile(statements: Array<StatementStructures | WriterFunction>): string {
  return printStructure({ kind: StructureKind.SourceFile, statements });
}

function constant(name: string, initializer: string, description: string | undefined, isExported = true): StatementStructures {
  return {
    kind: StructureKind.VariableStatement,
    declarationKind: VariableDeclarationKind.Const,
    isExported,
    declarations: [{ name, initializer }],
    docs: description === undefined ? [] : [{ description }],
  };
}

function interfaceModule(context: EmitContext, runtimeImport: string): Array<StatementStructures | WriterFunction> {
  const { names } = context.model;
  const lossless = context.integers === "bigint" ? `, "bigint"` : "";
  const body: StatementStructures[] = [
    { kind: StructureKind.ImportDeclaration, moduleSpecifier: runtimeImport, namespaceImport: runtimeNamespace },
    constant(names.interfaceName, JSON.stringify(context.model.name), "The varlink name of this interface."),
    constant(names.interfaceDescription, templateLiteral(context.model.description), "The exact interface text, as GetInterfaceDescription returns it."),
    // Read from the description only when a value fails its check (or integers need converting).
    constant(names.types, `/*@__PURE__*/ ${runtime("interfaceTypes")}(${names.interfaceDescription}${lossless})`, undefined, false),
    ...emitTypes(context),
    ...emitChecks(context),
    ...emitErrors(context),
    ...emitClient(context),
    ...emitServer(context),
  ];
  return spaced(body);
}

/** A blank line between top-level declarations, which prettier then keeps. */
function spaced(statements: StatementStructures[]): Array<StatementStructures | WriterFunction> {
  const blankLine: WriterFunction = (writer) => writer.blankLineIfLastNot();
  return statements.flatMap((statement, index) => (index === 0 ? [statement] : [blankLine, statement]));
}

/**
 * The text as a template literal, readable with its line breaks. Template literals turn CR and
 * CRLF into LF, so CR is escaped, as are backslashes, backticks, `${` and control characters.
 */
export function templateLiteral(text: string): string {
  const body = text
    .replace(/[\\`]/g, (c) => `\\${c}`)
    .replace(/\$\{/g, "\\${")
    .replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
  return `\`${body}\``;
}

/** The module generated for one interface; it depends on that interface and the options only. */
export async function generateInterfaceFile(input: GenerateInput, options: GenerateOptions = {}): Promise<GeneratedFile> {
  const path = outputFileName(input.sourcePath);
  const context: EmitContext = { model: buildModel(input.definition), integers: options.integers ?? "number" };
  const text = header(input.sourcePath) + "\n" + sourceFile(interfaceModule(context, options.runtimeImport ?? defaultRuntimeImport));
  return { path, content: await formatTypeScript(text, options.prettier ?? {}) };
}

/** Generates TypeScript for each interface, plus an index.ts unless told not to. */
export async function generate(inputs: readonly GenerateInput[], options: GenerateOptions = {}): Promise<GeneratedFile[]> {
  assertDistinctOutputs(inputs);
  const files: GeneratedFile[] = [];
  for (const input of sortedInputs(inputs)) files.push(await generateInterfaceFile(input, options));
  if (options.index !== false && inputs.length > 0) files.push(await generateIndex(inputs, options));
  return files;
}
