import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { test } from "node:test";
import { repoRoot } from "../helpers/paths.js";

// Every npm script builds what it runs: `npm run certify` right after a clone or after a plain
// `npm run build` must not die with MODULE_NOT_FOUND. A script's steps are followed through
// `npm run X`; a `node dist/...` step needs, earlier in the same script, the build step that
// emits that file: `build` for src/ and test/, `build:e2e` for test/e2e/ (compiled against the
// code generated during that step).

const scripts = (
  JSON.parse(readFileSync(path.join(repoRoot, "package.json"), "utf8")) as { scripts: Record<string, string> }
).scripts;

/** The steps a script runs, in order, with `npm run X` expanded into X's steps. */
function steps(name: string, seen: string[] = []): string[] {
  assert.ok(!seen.includes(name), `npm run ${name} runs itself: ${[...seen, name].join(" -> ")}`);
  const body = scripts[name];
  assert.ok(body !== undefined, `no script ${name}`);
  return body.split(/\s*&&\s*/).flatMap((step) => {
    const nested = /^npm run ([\w:-]+)/.exec(step);
    return nested ? [`build-step:${nested[1]}`, ...steps(nested[1]!, [...seen, name])] : [step];
  });
}

/** The build script that emits a compiled file, judged by where its source lives. */
function emittedBy(distFile: string): string {
  const source = distFile.replace(/^dist\//, "").replace(/\.js$/, ".ts");
  assert.ok(existsSync(path.join(repoRoot, source)), `${distFile} is compiled from ${source}, which does not exist`);
  return source.startsWith("test/e2e/") ? "build:e2e" : "build";
}

for (const name of Object.keys(scripts)) {
  test(`npm run ${name} builds every file it runs before running it`, () => {
    const order = steps(name);
    order.forEach((step, index) => {
      for (const match of step.matchAll(/\bnode\b[^&|;]*?\b(dist\/[\w/.-]+\.js)/g)) {
        const file = match[1]!;
        if (file.startsWith("dist/bin/")) {
          assert.ok(
            order.slice(0, index).includes("build-step:bundle"),
            `${name}: '${step}' runs ${file} before any bundle step`,
          );
          continue;
        }
        const needed = emittedBy(file);
        assert.ok(
          order.slice(0, index).includes(`build-step:${needed}`),
          `${name}: '${step}' runs ${file} without running 'npm run ${needed}' first`,
        );
      }
    });
  });
}
