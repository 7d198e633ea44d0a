import { readFile } from "node:fs/promises";
import path from "node:path";
import { UsageError } from "./io.js";
import { optionTables } from "./options/commands.js";
import { checkConfig as checkTable, type ConfigValues } from "./options/table.js";

/** What `varlink-ts generate` reads from varlink-ts.config.json or package.json's "varlink-ts": the options its table marks settable there. */
export type GenerateConfig = ConfigValues<typeof optionTables.generate>;

function checkConfig(value: unknown, where: string): GenerateConfig {
  return checkTable(optionTables.generate, value, where);
}

/**
 * The configuration in `cwd`: `varlink-ts.config.json` (or the file `explicit` names), else the
 * "varlink-ts" key of package.json, else nothing. Paths in it are relative to its folder.
 */
export async function loadGenerateConfig(
  cwd: string,
  explicit?: string,
): Promise<{ config: GenerateConfig; dir: string } | undefined> {
  const readJson = async (file: string): Promise<unknown | undefined> => {
    let text: string;
    try {
      text = await readFile(file, "utf8");
    } catch {
      return undefined;
    }
    try {
      return JSON.parse(text) as unknown;
    } catch (error) {
      throw new UsageError(`${path.relative(cwd, file) || file}: invalid JSON: ${(error as Error).message}`);
    }
  };
  if (explicit !== undefined) {
    const file = path.resolve(cwd, explicit);
    const value = await readJson(file);
    if (value === undefined) throw new UsageError(`cannot read the configuration file '${explicit}'`);
    return { config: checkConfig(value, explicit), dir: path.dirname(file) };
  }
  const own = await readJson(path.join(cwd, "varlink-ts.config.json"));
  if (own !== undefined) return { config: checkConfig(own, "varlink-ts.config.json"), dir: cwd };
  const manifest = (await readJson(path.join(cwd, "package.json"))) as Record<string, unknown> | undefined;
  if (manifest?.["varlink-ts"] !== undefined)
    return { config: checkConfig(manifest["varlink-ts"], 'package.json "varlink-ts"'), dir: cwd };
  return undefined;
}
