import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { chmodSync, existsSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { binPath, cliProcess } from "../helpers/cli.js";
import { startServer, testService, type TestServer } from "../helpers/runtime.js";

// The bash completion script, sourced into bash and its function run as bash runs it on TAB:
// with COMP_LINE, COMP_POINT, COMP_WORDS and COMP_CWORD set, reading COMPREPLY. `varlink-ts`
// on PATH is the built binary.

describe("shell completion", () => {
  let service: TestServer;
  let script: string;
  let binFolder: string;
  before(async () => {
    service = await startServer([testService()]);
    const run = await cliProcess(["completion", "bash"]);
    assert.equal(run.code, 0, run.stderr);
    binFolder = mkdtempSync(path.join(tmpdir(), "varlink-ts-completion-"));
    script = path.join(binFolder, "varlink-ts.bash");
    writeFileSync(script, run.stdout);
    writeFileSync(path.join(binFolder, "varlink-ts"), `#!/bin/sh\nexec ${process.execPath} ${binPath} "$@"\n`);
    chmodSync(path.join(binFolder, "varlink-ts"), 0o755);
  });
  after(() => service.server.close());

  /**
   * What bash offers when TAB is pressed after `words` (as typed, quotes included; the last is
   * the word being completed). bash splits COMP_WORDS at ':' outside quotes, and so does this.
   */
  async function complete(...words: string[]): Promise<string[]> {
    const compWords = words.flatMap((word) =>
      word === "" || word.startsWith("'") ? [word] : word.split(/(:)/).filter((part) => part !== ""),
    );
    const program = [
      `source ${script}`,
      'COMP_WORDS=("$@")',
      "COMP_CWORD=$(( ${#COMP_WORDS[@]} - 1 ))",
      'COMP_LINE="${COMP_WORDS[*]}"',
      "COMP_POINT=${#COMP_LINE}",
      "_varlink_ts_completions",
      'printf "%s\\n" "${COMPREPLY[@]}"',
    ].join("\n");
    // Asynchronously: the service that answers lives in this process.
    const run = await promisify(execFile)("bash", ["-c", program, "bash", ...compWords], {
      encoding: "utf8",
      env: { ...process.env, PATH: `${binFolder}:${process.env["PATH"]}` },
      timeout: 20_000,
    });
    return run.stdout.split("\n").filter((word) => word !== "");
  }

  test("verbs complete from their first letters", async () => {
    assert.deepEqual((await complete("varlink-ts", "list-")).sort(), [
      "list-interfaces",
      "list-methods",
      "list-registry",
    ]);
  });

  test("a verb's flags complete", async () => {
    assert.deepEqual(await complete("varlink-ts", "call", "--co"), ["--collect"]);
  });

  test("after --, only long flags are offered: no one-letter flag written as a long one", async () => {
    const offered = await complete("varlink-ts", "call", "--");
    assert.ok(offered.includes("--more"), offered.join(" "));
    assert.deepEqual(
      offered.filter((word) => /^--[^-]$/.test(word)),
      [],
    );
  });

  test("call completes method names from the live service", async () => {
    assert.deepEqual(await complete("varlink-ts", "call", service.address, "org.example.test.E"), [
      "org.example.test.Echo",
    ]);
  });

  test("call offers every method of every interface the service has", async () => {
    const offered = await complete("varlink-ts", "call", service.address, "");
    assert.ok(offered.includes("org.varlink.service.GetInfo"));
    assert.ok(offered.includes("org.example.test.Count"));
  });

  test("list-methods completes interface names from the live service", async () => {
    assert.deepEqual(await complete("varlink-ts", "list-methods", service.address, "org.ex"), ["org.example.test"]);
  });

  test("completion never starts a program: a --bridge command is not run on TAB", async () => {
    const marker = path.join(binFolder, "bridge-ran");
    assert.deepEqual(await complete("varlink-ts", "call", "--bridge", `'touch ${marker}'`, "org.example.test.Co"), []);
    assert.equal(existsSync(marker), false);
  });

  test("completion never starts a program: an exec: address is not run on TAB", async () => {
    const marker = path.join(binFolder, "exec-ran");
    const program = path.join(binFolder, "touch-marker");
    writeFileSync(program, `#!/bin/sh\ntouch ${marker}\n`);
    chmodSync(program, 0o755);
    assert.deepEqual(await complete("varlink-ts", "call", `exec:${program}`, "org."), []);
    assert.equal(existsSync(marker), false);
  });

  test("a plain path to the service's socket is completed from, like unix:", async () => {
    assert.deepEqual(await complete("varlink-ts", "call", service.path, "org.example.test.E"), [
      "org.example.test.Echo",
    ]);
  });

  test("with --interface-file, methods complete from the file, the service asked nothing", async () => {
    const file = path.join(binFolder, "org.example.todo.varlink");
    writeFileSync(file, "interface org.example.todo\n\nmethod Add(title: string) -> ()\nmethod Archive() -> ()\n");
    assert.deepEqual(
      await complete(
        "varlink-ts",
        "call",
        "--interface-file",
        file,
        "unix:/nonexistent/varlink.sock",
        "org.example.todo.A",
      ),
      ["org.example.todo.Add", "org.example.todo.Archive"],
    );
  });

  test("a service that is not there offers nothing and prints nothing", async () => {
    assert.deepEqual(await complete("varlink-ts", "call", "unix:/nonexistent/varlink.sock", "org."), []);
  });

  test("the zsh script registers the same completer with zsh's compdef", async () => {
    const run = await cliProcess(["completion", "zsh"]);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /^#compdef varlink-ts$/m);
    assert.match(run.stdout, /SHELL=\/bin\/zsh varlink-ts --get-yargs-completions/);
  });

  test("completions for zsh carry each flag's description", async () => {
    const run = await cliProcess(["--get-yargs-completions", "call", "--coll"], { env: { SHELL: "/bin/zsh" } });
    assert.match(run.stdout, /^--collect:Like --more, but print all the replies as one JSON array$/m);
  });

  test("completion for another shell is a usage error", async () => {
    const run = await cliProcess(["completion", "fish"]);
    assert.equal(run.code, 2);
    assert.match(run.stderr, /completion scripts are for bash and zsh \(got 'fish'\)/);
  });
});
