import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import path from "node:path";
import { before, describe, test } from "node:test";
import { generate } from "../../src/codegen/index.js";
import { parseInterface } from "../../src/idl/index.js";
import { run } from "../helpers/npm.js";
import { fixturesDir, repoRoot } from "../helpers/paths.js";
import { readmeSnippet } from "../helpers/readme.js";
import { socketAddress } from "../helpers/runtime.js";
import { projectWith, typeCheck } from "../helpers/typecheck.js";
import { inputOf } from "../helpers/generate-input.js";

// The README's "Generated code" snippets, compiled as a user's strict project would compile
// them, next to the code generated for the spaceship fixture, and run.

/** The fenced block that follows `prints` after a snippet in README.md. */
function printedAfter(name: string): string {
  const readme = readFileSync(path.join(repoRoot, "README.md"), "utf8");
  const after = readme.slice(readme.indexOf(`<!-- snippet: ${name} -->`));
  return /\nprints\n\n```\n([\s\S]*?)```/.exec(after)![1]!;
}

describe("README: generated code", () => {
  let project = "";
  const socket = socketAddress("ship.sock");

  before(async () => {
    const text = readFileSync(path.join(fixturesDir, "interfaces", "org.example.spaceship.varlink"), "utf8");
    const [generated] = await generate([inputOf(parseInterface(text).definition!, "org.example.spaceship.varlink")], { index: false, prettier: null });
    project = projectWith([
      { path: "generated/org.example.spaceship.ts", content: generated!.content },
      { path: "generated-code.ts", content: readmeSnippet("generated-code").replace('"unix:/tmp/ship.sock"', JSON.stringify(socket.address)) },
      { path: "validation.ts", content: readmeSnippet("validation") },
      { path: "fds.ts", content: readmeSnippet("fds").replaceAll('"unix:/run/files.sock"', JSON.stringify(socketAddress("files.sock").address)) },
      { path: "interceptors.ts", content: readmeSnippet("interceptors").replaceAll('"unix:/tmp/ship-interceptors.sock"', JSON.stringify(socketAddress("interceptors.sock").address)) },
    ]);
    const compiled = typeCheck(project, ["generated-code.ts", "validation.ts", "interceptors.ts", "fds.ts"], ["--strict", "--exactOptionalPropertyTypes", "--noEmit", "false", "--outDir", "dist"]);
    assert.equal(compiled.status, 0, compiled.output);
  });

  test("the server and client snippet runs as the README says", () => {
    const result = run(process.execPath, [path.join(project, "dist", "generated-code.js")], project);
    assert.equal(result.status, 0, result.output);
    assert.equal(result.output, "arrived: true\ntylium: 100\ntylium: 99\nalarm: red\nNotEnoughEnergy: 9001 needed\n");
  });

  test("the fd passing snippet runs: an fd each way, through @varlink-ts/unix-fds", () => {
    const result = run(process.execPath, [path.join(project, "dist", "fds.js")], project);
    assert.equal(result.status, 0, result.output);
  });

  test("the interceptors snippet prints what the README shows", () => {
    const result = run(process.execPath, [path.join(project, "dist", "interceptors.js")], project);
    assert.equal(result.status, 0, result.output);
    assert.equal(result.output, printedAfter("interceptors"));
  });

  test("the validation snippet prints what the README shows", () => {
    const result = run(process.execPath, [path.join(project, "dist", "validation.js")], project);
    assert.equal(result.status, 0, result.output);
    assert.equal(result.output, printedAfter("validation"));
  });
});
