import assert from "node:assert/strict";
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { before, describe, test } from "node:test";
import { build } from "esbuild";
import { statedInDocs } from "../helpers/docs.js";
import { installPackages, npm, run } from "../helpers/npm.js";
import { corpusDir, corpusSkip, fixturesDir, repoRoot } from "../helpers/paths.js";

// The two npm packages as users get them: packed with npm pack, installed into a fresh project
// (the runtime as a dependency, the toolchain as a dev dependency), then used from Node, from a
// browser bundle, and type-checked by a project that knows only the DOM.

interface Manifest {
  name: string;
  dependencies?: Record<string, string>;
  exports: Record<string, unknown>;
  engines: { node: string };
  sideEffects?: boolean;
  files: string[];
}

const readManifest = (file: string): Manifest => JSON.parse(readFileSync(file, "utf8")) as Manifest;

describe("the package manifests", () => {
  const runtime = readManifest(path.join(repoRoot, "src", "runtime", "package.json"));
  const toolchain = readManifest(path.join(repoRoot, "package.json"));

  test("the runtime has no dependency and no side effects, and supports the Node the toolchain does", () => {
    assert.equal(runtime.name, "@varlink-ts/runtime");
    assert.equal(runtime.dependencies, undefined);
    assert.equal(runtime.sideEffects, false);
    assert.equal(runtime.engines.node, toolchain.engines.node);
  });

  test("the runtime's browser condition comes first, with its own types", () => {
    const main = runtime.exports["."] as Record<string, unknown>;
    assert.equal(Object.keys(main)[0], "browser");
    assert.deepEqual(main["browser"], { types: "./dist/browser.d.ts", default: "./dist/browser.js" });
  });

  test("the toolchain depends on the runtime of its own version", () => {
    assert.equal(toolchain.name, "varlink-ts");
    assert.equal(
      toolchain.dependencies?.["@varlink-ts/runtime"],
      (JSON.parse(readFileSync(path.join(repoRoot, "src", "runtime", "package.json"), "utf8")) as { version: string })
        .version,
    );
  });
});

describe("the toolchain's use of the runtime", () => {
  // Every entry point the runtime's manifest exports, and nothing else.
  const manifest = JSON.parse(readFileSync(path.join(repoRoot, "src", "runtime", "package.json"), "utf8")) as {
    exports: Record<string, unknown>;
  };
  const published = new Set(Object.keys(manifest.exports).map((entry) => `@varlink-ts/runtime${entry.slice(1)}`));
  const sourcesOf = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true, recursive: true })
      .filter((entry) => entry.isFile() && entry.name.endsWith(".ts"))
      .map((entry) => path.join(entry.parentPath, entry.name));
  const toolchainSources = ["cli", "codegen", "idl", "openapi", "lsp", "derive"].flatMap((stage) =>
    sourcesOf(path.join(repoRoot, "src", stage)),
  );
  const specifiers = (file: string): string[] =>
    [
      ...readFileSync(file, "utf8").matchAll(/\bfrom\s+"([^"]+)"|\bimport\s+"([^"]+)"|\bimport\(\s*"([^"]+)"\s*\)/g),
    ].map((m) => (m[1] ?? m[2] ?? m[3])!);

  test("goes through the runtime package's published entry points only", () => {
    const offending = toolchainSources.flatMap((file) =>
      specifiers(file)
        .filter(
          (spec) =>
            (spec.startsWith("@varlink-ts/runtime") && !published.has(spec)) ||
            (spec.startsWith(".") &&
              path.resolve(path.dirname(file), spec).startsWith(path.join(repoRoot, "src", "runtime"))),
        )
        .map((spec) => `${path.relative(repoRoot, file)}: ${spec}`),
    );
    assert.deepEqual(offending, []);
  });

  test("is imported by the bundled CLI, not copied into it", () => {
    const bundled = readdirSync(path.join(repoRoot, "dist", "bin"), { recursive: true, encoding: "utf8" }).filter((f) =>
      f.endsWith(".js"),
    );
    const text = bundled.map((f) => readFileSync(path.join(repoRoot, "dist", "bin", f), "utf8")).join("\n");
    assert.match(text, /from "@varlink-ts\/runtime(\/wire)?"/);
    assert.doesNotMatch(text, /class MessageReader\b/, "the runtime's framing is not bundled into the CLI");
  });
});

describe("the packed packages, installed into a fresh project", () => {
  let project = "";

  before(() => {
    project = mkdtempSync(path.join(tmpdir(), "varlink-ts-packages-"));
    writeFileSync(path.join(project, "package.json"), JSON.stringify({ name: "fresh", private: true, type: "module" }));
    const install = installPackages(project);
    assert.equal(install.status, 0, install.output);
    // TypeScript, to compile the project as a user would (this checkout's copy).
    symlinkSync(path.join(repoRoot, "node_modules", "typescript"), path.join(project, "node_modules", "typescript"));
    mkdirSync(path.join(project, "api"));
    cpSync(
      path.join(fixturesDir, "interfaces", "org.example.spaceship.varlink"),
      path.join(project, "api", "org.example.spaceship.varlink"),
    );
    if (!corpusSkip)
      cpSync(
        path.join(corpusDir, "valid", "io.systemd.UserDatabase.varlink"),
        path.join(project, "api", "io.systemd.UserDatabase.varlink"),
      );
    const generate = run(
      path.join(project, "node_modules", ".bin", "varlink-ts"),
      ["generate", "api", "--out", "src/generated"],
      project,
    );
    assert.equal(generate.status, 0, generate.output);
  });

  const tsc = (args: string[]): { status: number | null; output: string } =>
    run(process.execPath, [path.join(project, "node_modules", "typescript", "bin", "tsc"), ...args], project);

  test("a Node service and client run on the installed runtime", () => {
    writeFileSync(
      path.join(project, "src", "main.ts"),
      [
        'import { connect, createClient, VarlinkServer } from "@varlink-ts/runtime";',
        'import { Spaceship } from "./generated/org.example.spaceship.js";',
        `const address = ${JSON.stringify(`unix:${path.join(project, "ship.sock")}`)};`,
        "const server = new VarlinkServer();",
        'server.addInterface(Spaceship, { Status: () => ({ condition: { state: "idle", tylium_level: 7 } }) }, { partial: true });',
        "await server.listen(address);",
        "const connection = await connect(address);",
        "const { condition } = await createClient(Spaceship, connection, { validateReplies: true }).Status();",
        "console.log(`${condition.state} ${condition.tylium_level}`);",
        "await connection.close();",
        "await server.close();",
      ].join("\n"),
    );
    const compiled = tsc([
      "--strict",
      "--exactOptionalPropertyTypes",
      "--target",
      "ES2022",
      "--module",
      "NodeNext",
      "--moduleResolution",
      "NodeNext",
      "--types",
      "node",
      "--typeRoots",
      path.join(repoRoot, "node_modules", "@types"),
      "--outDir",
      "dist",
      "src/main.ts",
    ]);
    assert.equal(compiled.status, 0, compiled.output);
    const ran = run(process.execPath, ["dist/main.js"], project);
    assert.equal(ran.status, 0, ran.output);
    assert.equal(ran.output, "idle 7\n");
  });

  test("a browser page using a generated client bundles with esbuild, without Node's modules", {
    skip: corpusSkip,
  }, async (t) => {
    writeFileSync(
      path.join(project, "src", "page.ts"),
      [
        'import { createClient, HttpConnection } from "@varlink-ts/runtime";',
        'import { UserDatabase } from "./generated/io.systemd.UserDatabase.js";',
        'const users = createClient(UserDatabase, new HttpConnection("/varlink", { service: "userdb" }), { validateReplies: true });',
        'const { record } = await users.GetUserRecord({ userName: "root", service: "io.systemd.Multiplexer" });',
        'document.body.textContent = String(record["uid"]);',
      ].join("\n"),
    );
    const result = await build({
      entryPoints: [path.join(project, "src", "page.ts")],
      absWorkingDir: project,
      bundle: true,
      minify: true,
      write: false,
      platform: "browser",
      format: "esm",
      logLevel: "silent",
    });
    const bundle = result.outputFiles[0]!.text;
    assert.doesNotMatch(bundle, /from\s*"node:|require\("node:/, "no Node module is imported");
    t.diagnostic(
      `browser bundle of a page using the io.systemd.UserDatabase client over HTTP: ${(bundle.length / 1024).toFixed(1)} KB minified`,
    );
  });

  test("a DOM-only project type-checks a generated client used over the HTTP bridge", { skip: corpusSkip }, () => {
    writeFileSync(
      path.join(project, "tsconfig.dom.json"),
      JSON.stringify({
        compilerOptions: {
          target: "ES2022",
          lib: ["ES2022", "DOM"],
          types: [],
          skipLibCheck: false,
          strict: true,
          exactOptionalPropertyTypes: true,
          module: "ESNext",
          moduleResolution: "bundler",
          // What a bundler for browsers resolves: the runtime's browser entry.
          customConditions: ["browser"],
          noEmit: true,
        },
        files: ["src/page.ts"],
      }),
    );
    const checked = tsc(["-p", "tsconfig.dom.json"]);
    assert.equal(checked.status, 0, checked.output);
  });

  test("the runtime package holds its built files, its license and no sources", () => {
    const listed = npm(["pack", "--dry-run", "--json", "--workspace", "@varlink-ts/runtime"], repoRoot);
    assert.equal(listed.status, 0, listed.output);
    const files = (
      JSON.parse(listed.output.slice(listed.output.indexOf("["))) as Array<{ files: Array<{ path: string }> }>
    )[0]!.files.map((f) => f.path);
    assert.ok(
      files.includes("dist/index.js") && files.includes("dist/browser.d.ts") && files.includes("LICENSE"),
      files.join(", "),
    );
    assert.deepEqual(
      files.filter((f) => f.endsWith(".ts") && !f.endsWith(".d.ts")),
      [],
      "no TypeScript sources",
    );
  });
});

test("the runtime's size the documentation states is the one npm pack reports", () => {
  const packed = npm(["pack", "--dry-run", "--json"], path.join(repoRoot, "src", "runtime"));
  assert.equal(packed.status, 0, packed.output);
  const { size, unpackedSize } = (
    JSON.parse(packed.output.slice(packed.output.indexOf("["))) as Array<{ size: number; unpackedSize: number }>
  )[0]!;
  const stated = statedInDocs(/one package: (\d+) KB\s+unpacked, a (\d+) KB tarball, as `npm pack` reports/);
  assert.ok(stated !== null, "the documentation states the runtime's size");
  assert.deepEqual([Number(stated[1]), Number(stated[2])], [Math.round(unpackedSize / 1000), Math.round(size / 1000)]);
});
