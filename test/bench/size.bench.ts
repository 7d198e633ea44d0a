import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { build } from "esbuild";
import { generate, type GenerateInput } from "../../src/codegen/index.js";
import { parseInterface } from "../../src/idl/index.js";
import { inputOf as parsedInput } from "../helpers/generate-input.js";
import { corpusFiles, fixturesDir, repoRoot } from "../helpers/paths.js";
import { readFileSync } from "node:fs";

// npm run bench:size: how much code varlink-ts generates, and how much of it a browser bundle
// keeps: the bytes of the corpus output, io.podman's, the spaceship fixture's lines, and the
// minified size of bundles that import one type check, or one client over the HTTP bridge.

const inputOf = (name: string, text: string): GenerateInput => parsedInput(parseInterface(text).definition!, name);
const corpus = corpusFiles("valid")
  .filter((f) => f.name !== "org.example.calc.varlink")
  .map((f) => inputOf(f.name, f.text));
const spaceshipText = readFileSync(path.join(fixturesDir, "interfaces", "org.example.spaceship.varlink"), "utf8");

const corpusOutput = await generate(corpus, { prettier: null, index: false });
const bytes = (text: string): number => Buffer.byteLength(text);
const total = corpusOutput.reduce((sum, file) => sum + bytes(file.content), 0);
const podman = corpusOutput.find((file) => file.path === "io.podman.ts")!;
const [spaceship] = await generate([inputOf("org.example.spaceship.varlink", spaceshipText)], {
  prettier: null,
  index: false,
});
const lines = spaceship!.content.split("\n").length - 1;

/** The minified size of a browser bundle of `entry`, importing generated modules from `dir`. */
async function bundleSize(dir: string, name: string, entry: string): Promise<number> {
  const file = path.join(dir, `${name}.ts`);
  writeFileSync(file, entry);
  const result = await build({
    entryPoints: [file],
    bundle: true,
    minify: true,
    write: false,
    platform: "browser",
    format: "esm",
    // Where a project would find @varlink-ts/runtime: its node_modules.
    nodePaths: [path.join(repoRoot, "node_modules")],
    logLevel: "warning",
  });
  return result.outputFiles[0]!.contents.byteLength;
}

const work = mkdtempSync(path.join(tmpdir(), "varlink-bench-size-"));
for (const file of [spaceship!, corpusOutput.find((f) => f.path === "io.systemd.UserDatabase.ts")!])
  writeFileSync(path.join(work, file.path), file.content);
const typeCheck = await bundleSize(
  work,
  "check",
  `import { isCrate } from "./org.example.spaceship.js";\nconsole.log(isCrate((globalThis as { value?: unknown }).value));\n`,
);
const client = await bundleSize(
  work,
  "client",
  `import { createClient, HttpConnection } from "@varlink-ts/runtime";\nimport { UserDatabase } from "./io.systemd.UserDatabase.js";\n` +
    `const users = createClient(UserDatabase, new HttpConnection("/varlink", { service: "userdb" }), { validateReplies: true });\n` +
    `console.log(await users.GetUserRecord({ userName: "root", service: "io.systemd.Multiplexer" }));\n`,
);
rmSync(work, { recursive: true, force: true });

const kb = (n: number): string => `${(n / 1024).toFixed(1)} KB`;
console.log(`corpus output (${corpusOutput.length} interfaces): ${kb(total)} (target <= 1300 KB)`);
console.log(`io.podman: ${kb(bytes(podman.content))} (target <= 300 KB)`);
console.log(`org.example.spaceship: ${lines} lines (target <= 800)`);
console.log(`browser bundle, one type check (isCrate): ${kb(typeCheck)} minified (target <= 4 KB)`);
console.log(`browser bundle, the io.systemd.UserDatabase client over HTTP: ${kb(client)} minified`);
