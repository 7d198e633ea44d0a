import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import path from "node:path";
import { before, describe, test } from "node:test";
import { generate } from "../../src/codegen/index.js";
import { parseInterface } from "../../src/idl/index.js";
import { docBlockAfter, docSnippet } from "../helpers/docs.js";
import { run } from "../helpers/npm.js";
import { fixturesDir } from "../helpers/paths.js";
import { socketAddress } from "../helpers/runtime.js";
import { projectWith, typeCheck } from "../helpers/typecheck.js";
import { inputOf } from "../helpers/generate-input.js";

// The snippets built on generated code (the README's first example, and those in
// docs/generated-code.md, docs/fds.md and docs/interceptors.md), compiled as a user's strict
// project would compile them, next to the code generated for the spaceship fixture, and run.

describe("docs: generated code", () => {
  let project = "";
  const socket = socketAddress("ship.sock");

  before(async () => {
    const text = readFileSync(path.join(fixturesDir, "interfaces", "org.example.spaceship.varlink"), "utf8");
    const [generated] = await generate([inputOf(parseInterface(text).definition!, "org.example.spaceship.varlink")], {
      index: false,
      prettier: null,
    });
    project = projectWith([
      { path: "generated/org.example.spaceship.ts", content: generated!.content },
      {
        path: "generated-code.ts",
        content: docSnippet("generated-code").replace('"unix:/tmp/ship.sock"', JSON.stringify(socket.address)),
      },
      { path: "validation.ts", content: docSnippet("validation") },
      {
        path: "fds.ts",
        content: docSnippet("fds").replaceAll(
          '"unix:/run/files.sock"',
          JSON.stringify(socketAddress("files.sock").address),
        ),
      },
      {
        path: "interceptors.ts",
        content: docSnippet("interceptors").replaceAll(
          '"unix:/tmp/ship-interceptors.sock"',
          JSON.stringify(socketAddress("interceptors.sock").address),
        ),
      },
    ]);
    const compiled = typeCheck(
      project,
      ["generated-code.ts", "validation.ts", "interceptors.ts", "fds.ts"],
      ["--strict", "--exactOptionalPropertyTypes", "--noEmit", "false", "--outDir", "dist"],
    );
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

  test("the interceptors snippet prints what the docs show", () => {
    const result = run(process.execPath, [path.join(project, "dist", "interceptors.js")], project);
    assert.equal(result.status, 0, result.output);
    assert.equal(result.output, docBlockAfter("interceptors"));
  });

  test("the validation snippet prints what the docs show", () => {
    const result = run(process.execPath, [path.join(project, "dist", "validation.js")], project);
    assert.equal(result.status, 0, result.output);
    assert.equal(result.output, docBlockAfter("validation"));
  });
});
