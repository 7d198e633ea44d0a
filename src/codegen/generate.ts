import { printInterface } from "@varlink-ts/runtime/model";
import { atom, type Declaration, type Module } from "./code/ast.js";
import { printModule } from "./code/print-module.js";
import { runtime, type EmitContext } from "./context.js";
import { emitChecks } from "./emit-checks.js";
import { emitDescriptor } from "./emit-descriptor.js";
import { emitTypes } from "./emit-types.js";
import { toEmitInterface } from "./emit-model.js";
import { header } from "./header.js";
import { generateIndex } from "./index-file.js";
import { assertDistinctOutputs, sortedInputs } from "./inputs.js";
import { outputFileName, runtimeNamespace } from "./names.js";
import { defaultRuntimeImport, type GeneratedFile, type GenerateInput, type GenerateOptions } from "./options.js";
import { formatTypeScript } from "./print.js";

// interfaces and options in, files out: no file system, the same bytes for the same input.

function interfaceModule(context: EmitContext, input: GenerateInput, runtimeImport: string): Module {
  const { names } = context.model;
  const lossless = context.integers === "bigint" ? `, "bigint"` : "";
  const declarations: Declaration[] = [
    { kind: "import-namespace", name: runtimeNamespace, module: runtimeImport },
    {
      kind: "const",
      exported: true,
      name: names.interfaceName,
      value: atom(JSON.stringify(context.model.name)),
      doc: "The varlink name of this interface.",
    },
    {
      kind: "const",
      exported: true,
      name: names.interfaceDescription,
      value: { kind: "template", text: templateLiteral(context.model.description) },
      doc: "The exact interface text, as GetInterfaceDescription returns it.",
    },
    // Read from the description only when a value fails its check (or integers need converting).
    {
      kind: "const",
      exported: false,
      name: names.types,
      value: {
        kind: "call",
        callee: runtime("interfaceTypes"),
        args: [atom(names.interfaceDescription), ...(lossless ? [atom('"bigint"')] : [])],
        pure: true,
      },
    },
    ...emitTypes(context),
    ...emitChecks(context),
    ...emitDescriptor(context),
  ];
  const source =
    input.describedBy === undefined ? header(input.sourcePath) : header(context.model.name, input.describedBy);
  return { header: source.trimEnd(), declarations };
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

/**
 * The module generated for one interface; it depends on that interface and the options only.
 * It is laid out as prettier lays out code with its default options; prettier itself runs only
 * for a user's own prettier options.
 */
export async function generateInterfaceFile(
  input: GenerateInput,
  options: GenerateOptions = {},
): Promise<GeneratedFile> {
  const description = input.description ?? printInterface(input.model);
  const context: EmitContext = {
    model: toEmitInterface(input.model, description),
    integers: options.integers ?? "number",
  };
  const text = printModule(interfaceModule(context, input, options.runtimeImport ?? defaultRuntimeImport));
  return { path: outputFileName(input.sourcePath), content: await formatTypeScript(text, options.prettier ?? null) };
}

/** Generates TypeScript for each interface, plus an index.ts unless told not to. */
export async function generate(
  inputs: readonly GenerateInput[],
  options: GenerateOptions = {},
): Promise<GeneratedFile[]> {
  assertDistinctOutputs(inputs);
  const files: GeneratedFile[] = [];
  for (const input of sortedInputs(inputs)) files.push(await generateInterfaceFile(input, options));
  if (options.index !== false && inputs.length > 0) files.push(await generateIndex(inputs, options));
  return files;
}
