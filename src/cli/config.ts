import { readFile } from "node:fs/promises";
import path from "node:path";
import { UsageError } from "./io.js";

/** What `varlink-ts generate` reads from varlink-ts.config.json or package.json's "varlink-ts". */
export interface GenerateConfig {
  inputs?: string[];
  out?: string;
  runtimeImport?: string;
  importExtension?: ".js" | ".ts" | "";
  integers?: "number" | "bigint";
  index?: boolean;
  cache?: boolean;
}

const keys = new Set(["inputs", "out", "runtimeImport", "importExtension", "integers", "index", "cache"]);

function checkConfig(value: unknown, where: string): GenerateConfig {
  if (typeof value !== "object" || value === null || Array.isArray(value)) throw new UsageError(`${where}: expected an object`);
  for (const key of Object.keys(value)) {
    if (!keys.has(key)) throw new UsageError(`${where}: unknown option '${key}' (known: ${[...keys].join(", ")})`);
  }
  const config = value as Record<string, unknown>;
  if (config["inputs"] !== undefined && !(Array.isArray(config["inputs"]) && config["inputs"].every((i) => typeof i === "string"))) {
    throw new UsageError(`${where}: 'inputs' must be an array of strings`);
  }
  for (const key of ["out", "runtimeImport"]) {
    if (config[key] !== undefined && typeof config[key] !== "string") throw new UsageError(`${where}: '${key}' must be a string`);
  }
  if (config["importExtension"] !== undefined && ![".js", ".ts", ""].includes(config["importExtension"] as string)) {
    throw new UsageError(`${where}: 'importExtension' must be ".js", ".ts" or ""`);
  }
  if (config["integers"] !== undefined && !["number", "bigint"].includes(config["integers"] as string)) {
    throw new UsageError(`${where}: 'integers' must be "number" or "bigint"`);
  }
  for (const flag of ["index", "cache"]) {
    if (config[flag] !== undefined && typeof config[flag] !== "boolean") throw new UsageError(`${where}: '${flag}' must be true or false`);
  }
  return config as GenerateConfig;
}

/**
 * The configuration in `cwd`: `varlink-ts.config.json` (or the file `explicit` names), else the
 * "varlink-ts" key of package.json, else nothing. Paths in it are relative to its folder.
 */
export async function loadGenerateConfig(cwd: string, explicit?: string): Promise<{ config: GenerateConfig; dir: string } | undefined> {
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
  if (manifest?.["varlink-ts"] !== undefined) return { config: checkConfig(manifest["varlink-ts"], 'package.json "varlink-ts"'), dir: cwd };
  return undefined;
}
