import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";

/**
 * Every module URL a fresh `node ARGS` loads: what ESM resolves, logged by a resolve hook
 * registered before anything else loads, and what CommonJS require()d, from its module cache
 * at exit. The process must exit with one of `exitCodes`.
 */
export function modulesLoadedBy(nodeArgs: string[], exitCodes: number[] = [0]): string[] {
  const dir = mkdtempSync(path.join(tmpdir(), "varlink-ts-load-"));
  const log = path.join(dir, "loaded.txt");
  const hooks = path.join(dir, "hooks.mjs");
  writeFileSync(
    hooks,
    `import { appendFileSync } from "node:fs";
export async function resolve(specifier, context, next) {
  const result = await next(specifier, context);
  appendFileSync(${JSON.stringify(log)}, result.url + "\\n");
  return result;
}`,
  );
  writeFileSync(log, "");
  const register = [
    `import Module, { register } from "node:module";`,
    `import { appendFileSync } from "node:fs";`,
    `import { pathToFileURL } from "node:url";`,
    `register(${JSON.stringify(pathToFileURL(hooks).href)});`,
    `process.on("exit", () => appendFileSync(${JSON.stringify(log)}, Object.keys(Module._cache).map((file) => pathToFileURL(file).href + "\\n").join("")));`,
  ].join("\n");
  const result = spawnSync(
    process.execPath,
    ["--import", `data:text/javascript,${encodeURIComponent(register)}`, ...nodeArgs],
    {
      encoding: "utf8",
      cwd: dir,
    },
  );
  assert.ok(exitCodes.includes(result.status ?? -1), `exit ${result.status}: ${result.stderr}`);
  return readFileSync(log, "utf8")
    .split("\n")
    .filter((line) => line !== "");
}
