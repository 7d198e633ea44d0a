import assert from "node:assert/strict";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, test } from "node:test";
import { binPath } from "../helpers/cli.js";
import { docSnippet } from "../helpers/docs.js";
import { localPackageSpecs, npm, run } from "../helpers/npm.js";
import { fixturesDir, repoRoot } from "../helpers/paths.js";

// The copy-paste snippets of docs/workflows.md, run as written. The only change: varlink-ts is not on the
// registry, so `npx varlink-ts` runs this checkout's binary and `npm install` installs its packed
// tarballs.

/** Runs a shell snippet line by line in `cwd`, stopping at the first failure. */
function shell(snippet: string, cwd: string): void {
  const script = snippet.replaceAll("npx varlink-ts", `node ${binPath}`).replace(
    /^((?:cd \S+ && )?)npm install$/m,
    `$1npm pkg set ${localPackageSpecs()
      .map((spec) => `'${spec}'`)
      .join(" ")} && npm install --no-audit --no-fund`,
  );
  const result = run("sh", ["-ec", script], cwd);
  assert.equal(result.status, 0, `${script}\n${result.output}`);
}

const git = (args: string[], cwd: string) =>
  run("git", ["-c", "user.name=Test", "-c", "user.email=test@example.org", ...args], cwd);

describe("docs/workflows.md snippets", () => {
  test("build step: prebuild generates, then tsc compiles the generated code", () => {
    const project = mkdtempSync(path.join(tmpdir(), "varlink-ts-readme-build-"));
    const snippet = JSON.parse(docSnippet("build-step")) as Record<string, unknown>;
    writeFileSync(
      path.join(project, "package.json"),
      JSON.stringify({ name: "build-step", private: true, type: "module", ...snippet }, null, 2),
    );
    writeFileSync(
      path.join(project, "tsconfig.json"),
      JSON.stringify({
        compilerOptions: {
          module: "NodeNext",
          moduleResolution: "NodeNext",
          target: "ES2023",
          strict: true,
          skipLibCheck: true,
          rootDir: "src",
          outDir: "dist",
          types: ["node"],
        },
        include: ["src"],
      }),
    );
    mkdirSync(path.join(project, "api"));
    cpSync(
      path.join(fixturesDir, "interfaces", "org.example.spaceship.varlink"),
      path.join(project, "api", "org.example.spaceship.varlink"),
    );
    // This checkout as the installed varlink-ts, with the TypeScript it builds with.
    mkdirSync(path.join(project, "node_modules", ".bin"), { recursive: true });
    mkdirSync(path.join(project, "node_modules", "@types"), { recursive: true });
    mkdirSync(path.join(project, "node_modules", "@varlink-ts"));
    symlinkSync(repoRoot, path.join(project, "node_modules", "varlink-ts"));
    symlinkSync(path.join(repoRoot, "src", "runtime"), path.join(project, "node_modules", "@varlink-ts", "runtime"));
    symlinkSync(path.join(repoRoot, "node_modules", "typescript"), path.join(project, "node_modules", "typescript"));
    symlinkSync(
      path.join(repoRoot, "node_modules", "@types", "node"),
      path.join(project, "node_modules", "@types", "node"),
    );
    symlinkSync(binPath, path.join(project, "node_modules", ".bin", "varlink-ts"));
    symlinkSync(
      path.join(repoRoot, "node_modules", "typescript", "bin", "tsc"),
      path.join(project, "node_modules", ".bin", "tsc"),
    );
    const build = npm(["run", "build"], project);
    assert.equal(build.status, 0, build.output);
    assert.match(
      readFileSync(path.join(project, "dist", "generated", "org.example.spaceship.js"), "utf8"),
      /export const Spaceship =\s*\/\*@__PURE__\*\/ \$\.generatedInterface\(/,
    );
  });

  test("scaffolding, then the husky + lint-staged hook refuses bad commits and lets a clean one through", () => {
    const work = mkdtempSync(path.join(tmpdir(), "varlink-ts-readme-hook-"));
    shell(docSnippet("scaffold").replace("cd my-service\n", "cd my-service && "), work);
    const project = path.join(work, "my-service");
    assert.equal(git(["init", "-q"], project).status, 0);
    shell(docSnippet("husky-setup"), project);
    const commit = (message: string) => {
      git(["add", "-A"], project);
      const result = git(["commit", "-q", "-m", message], project);
      // lint-staged colours its output whatever the terminal; the messages are read without it.
      return { ...result, output: result.output.replace(/\x1b\[[0-9;]*m/g, "") };
    };
    assert.equal(commit("A new service").status, 0, "a clean commit passes");

    const interfaceFile = path.join(project, "api", "org.example.greeter.varlink");
    const clean = readFileSync(interfaceFile, "utf8");
    writeFileSync(interfaceFile, `${clean}\n# Says goodbye.\nmethod Farewell(name: string) -> (text: string)\n`);
    const stale = commit("Add Farewell, forgetting to regenerate");
    assert.notEqual(stale.status, 0);
    assert.match(stale.output, /Generated code is out of date \(run 'varlink-ts generate'\)/);
    assert.match(stale.output, /stale: +src\/generated\/org\.example\.greeter\.ts/);

    writeFileSync(interfaceFile, clean.replace("method Greet(name: string", "method Greet(name: strin"));
    const malformed = commit("A typo");
    assert.notEqual(malformed.status, 0);
    assert.match(malformed.output, /org\.example\.greeter\.varlink:\d+:\d+ - error/);

    writeFileSync(
      interfaceFile,
      clean.replace("method Greet(name: string, style: ?Style)", "method   Greet( name:string,style:?Style )"),
    );
    const unformatted = commit("Messy spacing");
    assert.notEqual(unformatted.status, 0);
    assert.match(unformatted.output, /not formatted|varlink-ts fmt/);

    writeFileSync(interfaceFile, `${clean}\n# Says goodbye.\nmethod Farewell(name: string) -> (text: string)\n`);
    assert.equal(run("npm", ["run", "generate", "--silent"], project).status, 0);
    // Regenerated, but only the interface staged: what would be committed is stale.
    git(["add", "api/org.example.greeter.varlink"], project);
    const interfaceOnly = git(["commit", "-q", "-m", "Add Farewell, staging only the interface"], project);
    assert.notEqual(interfaceOnly.status, 0);
    assert.match(
      interfaceOnly.output.replace(/\x1b\[[0-9;]*m/g, ""),
      /stale: +src\/generated\/org\.example\.greeter\.ts/,
    );
    const regenerated = commit("Add Farewell");
    assert.equal(regenerated.status, 0, regenerated.output);
  });
});
