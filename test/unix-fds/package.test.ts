import assert from "node:assert/strict";
import { existsSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { before, describe, test } from "node:test";
import { npm, packedPackages, run } from "../helpers/npm.js";

// @varlink-ts/unix-fds as users get it: packed with its prebuilt linux-x64 binary, installed
// into a fresh project next to the runtime, and used to pass an fd.

describe("the packed @varlink-ts/unix-fds, installed into a fresh project", () => {
  let tarball = "";
  let project = "";

  before(() => {
    tarball = packedPackages().unixFds;
    project = mkdtempSync(path.join(tmpdir(), "varlink-ts-unix-fds-"));
    writeFileSync(path.join(project, "package.json"), JSON.stringify({ name: "fresh", private: true, type: "module" }));
    const point = npm(
      [
        "pkg",
        "set",
        `dependencies.@varlink-ts/runtime=file:${packedPackages().runtime}`,
        `dependencies.@varlink-ts/unix-fds=file:${tarball}`,
      ],
      project,
    );
    assert.equal(point.status, 0, point.output);
    const install = npm(["install"], project);
    assert.equal(install.status, 0, install.output);
  });

  test("the tarball carries the native source and the prebuilt linux-x64 binary", () => {
    const listed = run("tar", ["-tzf", tarball], project).output.split("\n");
    assert.ok(listed.includes("package/native/unix_fds.c"), listed.join("\n"));
    assert.ok(listed.includes("package/binding.gyp"));
    assert.ok(
      listed.some((file) => /^package\/prebuilds\/linux-x64\/.+\.node$/.test(file)),
      listed.join("\n"),
    );
  });

  test("installing it uses the prebuilt binary: nothing is compiled", () => {
    assert.equal(existsSync(path.join(project, "node_modules", "@varlink-ts", "unix-fds", "build")), false);
  });

  test("a service and a client pass an fd through it", () => {
    writeFileSync(
      path.join(project, "main.js"),
      [
        'import { closeSync, openSync, readSync, unlinkSync, writeSync } from "node:fs";',
        'import { fdsOf, SocketConnection, VarlinkServer, withFds } from "@varlink-ts/runtime";',
        'import { unixFds } from "@varlink-ts/unix-fds";',
        'const description = "interface org.example.files\\n\\nmethod Open() -> (fd: int)\\n";',
        "const server = new VarlinkServer({ fdPassing: unixFds });",
        'server.addInterface({ name: "org.example.files", description, methods: { Open: () => {',
        '  const fd = openSync("note.txt", "w+"); writeSync(fd, "through the package"); unlinkSync("note.txt");',
        "  return withFds({ fd: 0 }, [fd]);",
        "} } });",
        'await server.listen("unix:./files.sock");',
        'const client = await SocketConnection.connect("unix:./files.sock", { fdPassing: unixFds });',
        'const reply = await client.call("org.example.files.Open");',
        "const fd = fdsOf(reply).take(reply.fd);",
        "const buffer = Buffer.alloc(100);",
        "console.log(buffer.subarray(0, readSync(fd, buffer, 0, 100, 0)).toString());",
        "closeSync(fd);",
        "await client.close();",
        "await server.close();",
      ].join("\n"),
    );
    const ran = run(process.execPath, ["main.js"], project);
    assert.equal(ran.status, 0, ran.output);
    assert.equal(ran.output, "through the package\n");
  });
});
