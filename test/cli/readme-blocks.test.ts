import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, readdirSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { before, describe, test } from "node:test";
import { generate } from "../../src/codegen/index.js";
import { parseInterface } from "../../src/idl/index.js";
import { startBridge } from "../helpers/bridge.js";
import { makeCertificates } from "../helpers/certificates.js";
import { cli } from "../helpers/cli.js";
import { docBlockAfter, docFiles, docSnippet, docText } from "../helpers/docs.js";
import { inputOf } from "../helpers/generate-input.js";
import { childEnv } from "../helpers/npm.js";
import { fixturesDir, repoRoot } from "../helpers/paths.js";
import { socketAddress, startServer, testService } from "../helpers/runtime.js";
import { projectWith, typeCheck } from "../helpers/typecheck.js";
import { startUserdbd } from "../helpers/userdbd.js";

// Every TypeScript block in the documentation (README.md, docs/, CONTRIBUTING.md, ...) is
// compiled under strict and run. This file runs the blocks named below; the rest are run where
// their set-up lives.
const runElsewhere: Record<string, string> = {
  "generated-code": "test/cli/readme-generated.test.ts",
  validation: "test/cli/readme-generated.test.ts",
  fds: "test/cli/readme-generated.test.ts",
  interceptors: "test/cli/readme-generated.test.ts",
  "bridge-client": "test/e2e/bridge.test.ts (it needs the corpus's io.systemd.UserDatabase)",
};
const runHere = ["define-zod", "define-valibot", "derive-class", "registry", "bridge-tls", "runtime"];

/** The name of each ```ts block in the documentation: the `<!-- snippet: NAME -->` line right above it, or undefined. */
function typeScriptBlocks(): Array<{ file: string; line: number; name: string | undefined }> {
  return docFiles().flatMap((file) => {
    const lines = docText(file).split("\n");
    return lines.flatMap((text, index) =>
      text === "```ts"
        ? [{ file, line: index + 1, name: /^<!-- snippet: ([\w-]+) -->$/.exec(lines[index - 1] ?? "")?.[1] }]
        : [],
    );
  });
}

test("every TypeScript block in the documentation is named and run by a test", () => {
  const unrun = typeScriptBlocks().filter(
    ({ name }) => name === undefined || !(name in runElsewhere || runHere.includes(name)),
  );
  assert.deepEqual(unrun, [], "```ts blocks no test runs: name each (<!-- snippet: NAME -->) and run it");
});

/** Appended to the registry block: what the registry holds while the server listens, then close. */
const registryCheck = `
import { readdirSync } from "node:fs";
console.log(readdirSync(\`\${process.env["XDG_RUNTIME_DIR"]}/varlink/registry\`).join());
await server.close();
`;

describe("docs: TypeScript blocks, compiled under strict and run", () => {
  let project = "";
  const demo = socketAddress("demo.sock");
  const ship = socketAddress("ship.sock");

  before(async () => {
    const text = readFileSync(path.join(fixturesDir, "interfaces", "org.example.spaceship.varlink"), "utf8");
    const [generated] = await generate([inputOf(parseInterface(text).definition!, "org.example.spaceship.varlink")], {
      index: false,
      prettier: null,
    });
    project = projectWith([
      { path: "generated/org.example.spaceship.ts", content: generated!.content },
      {
        path: "define-zod.ts",
        content: docSnippet("define-zod").replaceAll('"unix:/tmp/demo.sock"', JSON.stringify(demo.address)),
      },
      // The block's definition alone, printing what the guide says it describes.
      {
        path: "describe-zod.ts",
        content: `${docSnippet("define-zod").split("\nconst server")[0]}\nprocess.stdout.write(Demo.description);\n`,
      },
      { path: "define-valibot.ts", content: docSnippet("define-valibot") },
      { path: "demo.ts", content: docSnippet("derive-class") },
      {
        path: "registry.ts",
        content: `${docSnippet("registry").replace('"unix:/run/user/1000/ship.sock"', JSON.stringify(ship.address))}${registryCheck}`,
      },
      {
        path: "bridge-tls.ts",
        content: docSnippet("bridge-tls").replace('"https://bridge.example:8443"', "process.env.BRIDGE_URL!"),
      },
      { path: "runtime.ts", content: docSnippet("runtime") },
    ]);
    for (const module of ["zod", "valibot", "@valibot"])
      symlinkSync(path.join(repoRoot, "node_modules", module), path.join(project, "node_modules", module));
    const files = [...runHere.map((name) => (name === "derive-class" ? "demo.ts" : `${name}.ts`)), "describe-zod.ts"];
    const compiled = typeCheck(project, files, [
      "--strict",
      "--exactOptionalPropertyTypes",
      "--noEmit",
      "false",
      "--outDir",
      "dist",
      "--rootDir",
      ".",
    ]);
    assert.equal(compiled.status, 0, compiled.output);
  });

  /** Runs a compiled block without blocking this process, where some of the services it calls live. */
  const node = (
    file: string,
    env: Record<string, string> = {},
    cwd = project,
  ): Promise<{ status: number | null; output: string }> =>
    new Promise((resolve) => {
      const child = spawn(process.execPath, [path.join(project, "dist", file)], {
        cwd,
        env: { ...childEnv, ...env },
        stdio: ["ignore", "pipe", "pipe"],
        timeout: 60_000,
      });
      let output = "";
      child.stdout.setEncoding("utf8").on("data", (text: string) => (output += text));
      child.stderr.setEncoding("utf8").on("data", (text: string) => (output += text));
      child.on("close", (status) => resolve({ status, output }));
    });

  test("defineInterface with zod: the service answers as the guide says", async () => {
    const result = await node("define-zod.js");
    assert.equal(result.status, 0, result.output);
    assert.equal(result.output, "right\n0\n1\n2\n");
  });

  test("defineInterface with zod: Demo.description is the interface the guide shows", async () => {
    const result = await node("describe-zod.js");
    assert.equal(result.status, 0, result.output);
    assert.equal(result.output, docSnippet("define-zod-description"));
  });

  test("defineInterface with valibot and toStandardJsonSchema prints the interface the guide shows", async () => {
    const result = await node("define-valibot.js");
    assert.equal(result.status, 0, result.output);
    assert.equal(result.output, docBlockAfter("define-valibot"));
  });

  test("derive writes the interface the guide shows from the class it shows", async () => {
    const out = mkdtempSync(path.join(tmpdir(), "varlink-ts-readme-derive-"));
    const derived = await cli(["derive", path.join(project, "demo.ts"), "--out", out], { cwd: project });
    assert.equal(derived.code, 0, derived.stderr);
    assert.equal(readFileSync(path.join(out, "org.example.demo.varlink"), "utf8"), docSnippet("derive-output"));
  });

  test("a server registers itself in the user's registry while it listens, and leaves it on close", async () => {
    const runtimeDir = mkdtempSync(path.join(tmpdir(), "varlink-ts-readme-registry-"));
    const result = await node("registry.js", { XDG_RUNTIME_DIR: runtimeDir });
    assert.equal(result.status, 0, result.output);
    assert.equal(result.output, "org.example.spaceship\n");
    assert.deepEqual(readdirSync(path.join(runtimeDir, "varlink", "registry")), []);
  });

  test("HttpConnection with a CA, a client certificate and a token calls through a bridge that requires both", async (t) => {
    const certificates = makeCertificates();
    const service = await startServer([testService()]);
    t.after(() => service.server.close());
    writeFileSync(path.join(certificates.folder, "token"), "s3cret\n");
    const bridge = await startBridge([
      "--service",
      `userdb=${service.address}`,
      "--tls-cert",
      certificates.files.serverCert,
      "--tls-key",
      certificates.files.serverKey,
      "--client-ca",
      certificates.files.ca,
      "--token-file",
      path.join(certificates.folder, "token"),
    ]);
    t.after(() => bridge.stop());
    const result = await node("bridge-tls.js", { BRIDGE_URL: bridge.url }, certificates.folder);
    assert.equal(result.status, 0, result.output);
    assert.match(result.output, /interfaces: \[ 'org\.varlink\.service', 'org\.example\.test' \]/);
  });

  test("the runtime's untyped calls run against systemd-userdbd", async (t) => {
    const daemon = await startUserdbd();
    t.after(() => daemon.stop());
    if (daemon.unavailable) return t.skip(daemon.unavailable);
    const result = await node("runtime.js");
    assert.equal(result.status, 0, result.output);
    assert.match(result.output, /userName: 'root'/);
    assert.match(result.output, /groupName: /);
  });
});
