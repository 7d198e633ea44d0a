import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { hasErrors, renderDiagnostics, renderSummary, summarize, type Diagnostic } from "../../idl/index.js";
import { makeFolder } from "../files.js";
import { exitCodes, UsageError, type CliIo } from "../io.js";
import type { optionTables } from "../options/commands.js";
import type { OptionValues } from "../options/table.js";
import type { DeriveResult } from "../../derive/index.js";

export type DeriveCommandOptions = OptionValues<typeof optionTables.derive>;

/**
 * `varlink-ts derive FILE.ts...`: a .varlink file for every interface the files mark with
 * `@varlink NAME`, in the canonical style, named after the interface. With --check, writes
 * nothing and exits 1 listing what is stale or missing.
 */
export async function runDerive(options: DeriveCommandOptions, io: CliIo): Promise<number> {
  if (options.inputs.length === 0) throw new UsageError("name the TypeScript files to derive interfaces from");
  const files = options.inputs.map((input) => path.resolve(io.cwd, input));
  // ts-morph (and its TypeScript) only for this command.
  const { deriveInterfaces } = await import("../../derive/index.js");
  let result: DeriveResult;
  try {
    result = deriveInterfaces(files, { strictNumbers: options.strictNumbers });
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  const diagnostics: Diagnostic[] = result.diagnostics;
  // Each text is its model printed by the one printer fmt uses, so it is already in fmt's style.
  const texts = result.interfaces.map((derived) => ({
    file: path.join(options.out, `${derived.name}.varlink`),
    text: derived.text,
  }));
  let report = "";
  for (const [file, source] of result.sources) {
    // Named as the user named them, like check does.
    const own = diagnostics
      .filter((d) => d.file === file)
      .map((d) => ({ ...d, file: path.relative(io.cwd, file) || file }));
    if (own.length > 0) report += renderDiagnostics(own, source, { color: io.color });
  }
  if (report !== "") io.stderr(report);
  if (hasErrors(diagnostics)) {
    io.stderr(renderSummary(summarize(diagnostics, files.length)));
    return exitCodes.problems;
  }
  const outDir = path.resolve(io.cwd, options.out);
  if (options.check) {
    const stale: string[] = [];
    for (const { file, text } of texts) {
      const current = await readFile(path.resolve(io.cwd, file), "utf8").catch(() => undefined);
      if (current !== text) stale.push(`${current === undefined ? "missing" : "stale"}: ${file}`);
    }
    if (stale.length > 0) {
      io.stderr(`${stale.join("\n")}\nrun varlink-ts derive to update them\n`);
      return exitCodes.problems;
    }
    io.stderr(`${options.out}: ${texts.length} derived ${texts.length === 1 ? "file is" : "files are"} up to date.\n`);
    return exitCodes.ok;
  }
  await makeFolder(outDir);
  let written = 0;
  for (const { file, text } of texts) {
    const target = path.resolve(io.cwd, file);
    if ((await readFile(target, "utf8").catch(() => undefined)) === text) continue;
    await writeFile(target, text);
    written++;
  }
  io.stderr(`${options.out}: wrote ${written} of ${texts.length} files.\n`);
  return exitCodes.ok;
}
