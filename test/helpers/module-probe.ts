import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";

/**
 * Every module URL a fresh `node ARGS` resolves, logged by a resolve hook registered before
 * anything else loads. The process must exit with one of `exitCodes`.
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
  const register = `import { register } from "node:module"; register(${JSON.stringify(pathToFileURL(hooks).href)});`;
  const result = spawnSync(process.execPath, ["--import", `data:text/javascript,${encodeURIComponent(register)}`, ...nodeArgs], {
    encoding: "utf8",
    cwd: dir,
  });
  assert.ok(exitCodes.includes(result.status ?? -1), `exit ${result.status}: ${result.stderr}`);
  return readFileSync(log, "utf8").split("\n").filter((line) => line !== "");
}
