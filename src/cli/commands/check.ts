import { readFile } from "node:fs/promises";
import path from "node:path";
import { parseInterface, renderDiagnostics, renderSummary, summarize, type Diagnostic } from "../../idl/index.js";
import { expandInputs } from "../inputs.js";
import { exitCodes, type CliIo } from "../io.js";
import type { optionTables } from "../options/commands.js";
import type { OptionValues } from "../options/table.js";

export type CheckOptions = OptionValues<typeof optionTables.check>;

/** `varlink-ts check`: parse and check files; exit 1 when any has an error. */
export async function runCheck(options: CheckOptions, io: CliIo): Promise<number> {
  const files = await expandInputs(options.inputs, io.cwd);
  const all: Diagnostic[] = [];
  let text = "";
  for (const file of files) {
    const source = await readFile(path.resolve(io.cwd, file), "utf8");
    const { diagnostics } = parseInterface(source, { file, lint: options.lint });
    all.push(...diagnostics);
    text += renderDiagnostics(diagnostics, source, { color: io.color });
  }
  const summary = summarize(all, files.length);
  if (options.format === "json") {
    io.stdout(`${JSON.stringify({ files, diagnostics: all, summary }, null, 2)}\n`);
  } else {
    io.stdout(text + renderSummary(summary));
  }
  return summary.errors > 0 ? exitCodes.problems : exitCodes.ok;
}
