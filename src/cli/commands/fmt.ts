import { readFile } from "node:fs/promises";
import path from "node:path";
import { printInterface } from "@varlink-ts/runtime/model";
import { hasErrors, parseInterface, renderDiagnostics, toInterfaceModel } from "../../idl/index.js";
import { writeAtomically } from "../files.js";
import { expandInputs } from "../inputs.js";
import { exitCodes, UsageError, type CliIo } from "../io.js";
import type { optionTables } from "../options/commands.js";
import type { OptionValues } from "../options/table.js";

export type FmtOptions = OptionValues<typeof optionTables.fmt>;

/**
 * `varlink-ts fmt`: print the canonical text; `--write` rewrites files that change, atomically;
 * `--check` writes nothing and exits 1 naming the files that are not formatted.
 * A file with errors is never rewritten: its diagnostics are printed instead.
 */
export async function runFmt(options: FmtOptions, io: CliIo): Promise<number> {
  if (options.write && options.check) throw new UsageError("--write and --check cannot be used together");
  const fromStdin = options.stdin;
  if (fromStdin && (options.write || options.inputs.length > 0))
    throw new UsageError("standard input is formatted alone, to standard output");
  if (!fromStdin && options.inputs.length === 0)
    throw new UsageError("name the files to format, or '-' for standard input");
  const files = fromStdin ? ["-"] : await expandInputs(options.inputs, io.cwd);

  let status: number = exitCodes.ok;
  const unformatted: string[] = [];
  for (const file of files) {
    const source = fromStdin ? await io.readStdin() : await readFile(path.resolve(io.cwd, file), "utf8");
    const name = fromStdin ? "<stdin>" : file;
    const { definition, diagnostics } = parseInterface(source, { file: name });
    if (definition === undefined || hasErrors(diagnostics)) {
      io.stderr(renderDiagnostics(diagnostics, source, { color: io.color }));
      io.stderr(`${name}: not formatted, it has errors\n`);
      status = exitCodes.problems;
      continue;
    }
    const formatted = printInterface(toInterfaceModel(definition));
    if (options.check) {
      if (formatted !== source) unformatted.push(name);
    } else if (options.write) {
      if (formatted !== source) {
        await writeAtomically(path.resolve(io.cwd, file), formatted);
        io.stderr(`formatted ${file}\n`);
      }
    } else {
      io.stdout(formatted);
    }
  }
  if (unformatted.length > 0) {
    io.stderr(
      `These files are not formatted (run 'varlink-ts fmt --write'):\n${unformatted.map((f) => `  ${f}\n`).join("")}`,
    );
    status = exitCodes.problems;
  }
  return status;
}
