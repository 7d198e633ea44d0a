import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, test } from "node:test";
import { SocketConnection } from "../../src/runtime/index.js";
import { cliProcess } from "../helpers/cli.js";
import { childEnv, npm, packedPackage } from "../helpers/npm.js";
import { eventually } from "../helpers/runtime.js";

// `varlink-ts init`: the scaffolded project installs this package, builds, passes its own tests
// and serves its interface.


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

  test("a new project installs, builds, passes its tests and serves", async () => {
    const work = mkdtempSync(path.join(tmpdir(), "varlink-ts-init-"));
    const project = path.join(work, "hello-service");
    const init = await cliProcess(["init", project]);
    assert.equal(init.code, 0, init.stderr);
    assert.match(init.stdout, /npm run build && npm test/);
    for (const file of [".gitignore", "README.md", "api/org.example.greeter.varlink", "src/generated/org.example.greeter.ts", "src/server.ts", "src/client.ts", "test/greeter.test.ts"]) {
      assert.ok(existsSync(path.join(project, file)), `${file} is created`);
    }
    assert.equal((JSON.parse(readFileSync(path.join(project, "package.json"), "utf8")) as { name: string }).name, "hello-service");

    const install = npm(["install", packedPackage()], project);
    assert.equal(install.status, 0, install.output);
    const build = npm(["run", "build"], project);
    assert.equal(build.status, 0, build.output);
    const tests = npm(["test"], project);
    assert.equal(tests.status, 0, tests.output);
    assert.match(tests.output, /# pass 4/);

    const socket = path.join(work, "greeter.sock");
    const server = spawn("npm", ["start", "--silent", "--", `unix:${socket}`], { cwd: project, env: childEnv, stdio: ["ignore", "pipe", "pipe"], detached: true });
    let output = "";
    server.stdout.setEncoding("utf8").on("data", (text: string) => (output += text));
    server.stderr.setEncoding("utf8").on("data", (text: string) => (output += text));
    try {
      await eventually(() => output.includes("serving org.example.greeter"), "npm start serves", 30_000);
      const client = await SocketConnection.connect(`unix:${socket}`);
      assert.deepEqual(await client.call("org.example.greeter.Greet", { name: "Ada", style: { loud: true, language: "fr" } }), { greeting: "BONJOUR, ADA!" });
      await client.close();
    } finally {
      process.kill(-server.pid!, "SIGTERM");
    }
  });
});
