import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, test } from "node:test";
import { SocketConnection, VarlinkError } from "@varlink-ts/runtime";
import { cliProcess } from "../helpers/cli.js";
import { childEnv, installPackages, npm } from "../helpers/npm.js";
import { eventually } from "../helpers/runtime.js";

// `varlink-ts init`: the scaffolded project installs this checkout's two packages (the runtime as
// a dependency, the toolchain as a dev dependency), builds, passes its own tests, and still serves
// its interface once the dev dependencies are pruned away.

describe("varlink-ts init", () => {
  test("refuses a folder that is not empty, unless --force", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "varlink-ts-init-"));
    writeFileSync(path.join(dir, "notes.txt"), "mine\n");
    const refused = await cliProcess(["init", dir]);
    assert.equal(refused.code, 2);
    assert.match(refused.stderr, /is not empty; use --force/);
    assert.ok(!existsSync(path.join(dir, "package.json")));
    assert.equal((await cliProcess(["init", dir, "--force"])).code, 0);
    assert.equal(readFileSync(path.join(dir, "notes.txt"), "utf8"), "mine\n");
  });

  test("a new project installs, builds, passes its tests, and serves on the runtime alone", async (t) => {
    const work = mkdtempSync(path.join(tmpdir(), "varlink-ts-init-"));
    const project = path.join(work, "hello-service");
    const init = await cliProcess(["init", project]);
    assert.equal(init.code, 0, init.stderr);
    assert.match(init.stdout, /npm run build && npm test/);
    for (const file of [
      ".gitignore",
      "README.md",
      "api/org.example.greeter.varlink",
      "src/generated/org.example.greeter.ts",
      "src/server.ts",
      "src/client.ts",
      "test/greeter.test.ts",
    ]) {
      assert.ok(existsSync(path.join(project, file)), `${file} is created`);
    }
    const manifest = JSON.parse(readFileSync(path.join(project, "package.json"), "utf8")) as {
      name: string;
      dependencies: object;
      devDependencies: object;
    };
    assert.equal(manifest.name, "hello-service");
    assert.deepEqual(Object.keys(manifest.dependencies), ["@varlink-ts/runtime"], "the runtime alone is a dependency");
    assert.ok("varlink-ts" in manifest.devDependencies, "the toolchain is a dev dependency");

    const install = installPackages(project);
    assert.equal(install.status, 0, install.output);
    const build = npm(["run", "build"], project);
    assert.equal(build.status, 0, build.output);
    const tests = npm(["test"], project);
    assert.equal(tests.status, 0, tests.output);
    assert.match(tests.output, /# pass 4/);

    const prune = npm(["prune", "--omit=dev"], project);
    assert.equal(prune.status, 0, prune.output);
    const installed = packagesIn(path.join(project, "node_modules"));
    assert.deepEqual(
      installed.map((p) => p.name),
      ["@varlink-ts/runtime"],
      "only the runtime is left",
    );
    const bytes = installed.reduce((sum, p) => sum + p.bytes, 0);
    t.diagnostic(
      `node_modules after npm prune --omit=dev: ${installed.length} package(s), ${(bytes / 1024).toFixed(0)} KB`,
    );
    assert.ok(bytes <= 1024 * 1024, `node_modules holds ${bytes} bytes`);

    const socket = path.join(work, "greeter.sock");
    const server = spawn("npm", ["start", "--silent", "--", `unix:${socket}`], {
      cwd: project,
      env: childEnv,
      stdio: ["ignore", "pipe", "pipe"],
      detached: true,
    });
    t.after(() => process.kill(-server.pid!, "SIGTERM"));
    let output = "";
    server.stdout.setEncoding("utf8").on("data", (text: string) => (output += text));
    server.stderr.setEncoding("utf8").on("data", (text: string) => (output += text));
    await eventually(() => output.includes("serving org.example.greeter"), "npm start serves", 30_000);
    const client = await SocketConnection.connect(`unix:${socket}`);
    t.after(() => client.close());
    assert.deepEqual(
      await client.call("org.example.greeter.Greet", { name: "Ada", style: { loud: true, language: "fr" } }),
      { greeting: "BONJOUR, ADA!" },
    );

    // SIGTERM with a stream open: the stream ends with ShuttingDown, the server exits within its 5 s.
    const stopping = spawn(process.execPath, ["dist/src/server.js", `unix:${path.join(work, "stopping.sock")}`], {
      cwd: project,
      env: childEnv,
      stdio: ["ignore", "inherit", "pipe"],
    });
    t.after(() => stopping.kill("SIGKILL"));
    let said = "";
    stopping.stderr.setEncoding("utf8").on("data", (text: string) => (said += text));
    await eventually(() => said.includes("serving org.example.greeter"), "the server serves", 10_000);
    const watcher = await SocketConnection.connect(`unix:${path.join(work, "stopping.sock")}`);
    t.after(() => watcher.close());
    const countdown = watcher.more("org.example.greeter.Countdown", { from: 100_000 });
    assert.deepEqual((await countdown.next()).value, { remaining: 100_000 });
    stopping.kill("SIGTERM");
    await assert.rejects(
      countdown.next(),
      (error) => error instanceof VarlinkError && error.errorName === "org.varlinkts.ShuttingDown",
    );
    await eventually(() => stopping.exitCode !== null, "the server exits", 5000);
    assert.equal(stopping.exitCode, 0);
  });
});

/** The packages in a node_modules folder (scoped ones included) and the bytes of their files. */
function packagesIn(nodeModules: string): Array<{ name: string; bytes: number }> {
  const size = (dir: string): number =>
    readdirSync(dir, { withFileTypes: true }).reduce((sum, entry) => {
      const full = path.join(dir, entry.name);
      return sum + (entry.isDirectory() ? size(full) : entry.isFile() ? statSync(full).size : 0);
    }, 0);
  const names = readdirSync(nodeModules).filter((name) => !name.startsWith("."));
  return names
    .flatMap((name) =>
      name.startsWith("@") ? readdirSync(path.join(nodeModules, name)).map((inner) => `${name}/${inner}`) : [name],
    )
    .map((name) => ({ name, bytes: size(path.join(nodeModules, name)) }));
}
