import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, test } from "node:test";
import { UsageError } from "../../src/cli/io.js";
import { optionTables } from "../../src/cli/options/commands.js";
import { sharedOptions } from "../../src/cli/options/shared.js";
import { checkConfig, flagName, flagsOf, type OptionTable } from "../../src/cli/options/table.js";
import { startBridge } from "../helpers/bridge.js";
import { cli, cliProcess } from "../helpers/cli.js";
import { sourceFiles } from "../helpers/imports.js";
import { repoRoot } from "../helpers/paths.js";
import { startServer, withoutIntrospection } from "../helpers/runtime.js";

// Issue #30, step 6: one option table per command. yargs' builders, the commands' values, the
// configuration file's check, help and completion all come from src/cli/options; a flag that
// several commands take is defined once and read the same in each.

const tables = optionTables as Record<string, OptionTable>;

const cliSources = sourceFiles(path.join(repoRoot, "src", "cli")).filter(
  (file) => !file.includes(`${path.sep}options${path.sep}`),
);

describe("one option table per command", () => {
  test("no yargs option or positional is defined outside the tables", () => {
    const builders = cliSources.filter((file) => /\.(option|positional)\(\s*"/.test(readFileSync(file, "utf8")));
    assert.deepEqual(
      builders.map((file) => path.relative(repoRoot, file)),
      [],
    );
  });

  test("a flag several commands take is one definition, read the same in each", () => {
    // Same name, different things: HOST:PORT for HTTP against a varlink ADDRESS; one bridge name
    // for a document against NAME=ADDRESS pairs.
    const distinct: Record<string, string[]> = { listen: ["bridge http", "serve"], service: ["openapi"] };
    const byFlag = new Map<string, Array<{ command: string; read: unknown }>>();
    for (const [command, table] of Object.entries(tables)) {
      for (const [key, option] of Object.entries(table)) {
        if (option.positional) continue;
        byFlag.set(key, [...(byFlag.get(key) ?? []), { command, read: option.read }]);
      }
    }
    for (const [key, uses] of byFlag) {
      const counted = uses.filter((use) => !(distinct[key] ?? []).includes(use.command));
      if (counted.length < 2) continue;
      assert.ok(
        key in sharedOptions,
        `--${flagName(key)} is taken by ${counted.map((use) => use.command).join(", ")}: define it once, in options/shared.ts`,
      );
      for (const use of counted)
        assert.equal(
          use.read,
          sharedOptions[key as keyof typeof sharedOptions].read,
          `--${flagName(key)} in ${use.command} is read as shared.ts reads it`,
        );
    }
  });

  test("the choices of --integers are spelled once in the CLI", () => {
    const spelled = sourceFiles(path.join(repoRoot, "src", "cli")).flatMap(
      (file) => readFileSync(file, "utf8").match(/"bigint"/g) ?? [],
    );
    assert.equal(spelled.length, 1);
  });

  for (const [command, table] of Object.entries(tables)) {
    test(`${command} --help lists exactly its table`, async () => {
      const run = await cli([...command.split(" "), "--help"], { cwd: repoRoot });
      assert.equal(run.code, 0, run.stderr);
      const [positionals = "", options = ""] = run.stdout.split(/^Options:$/m);
      const listed = [...options.matchAll(/^ {2}(?:-\w, )?\s*(--?[\w-]+)/gm)]
        .map((match) => match[1]!)
        .filter((flag) => flag !== "--version" && flag !== "--help");
      assert.deepEqual(listed.sort(), flagsOf(table).sort());
      const named = [...(positionals.split(/^Positionals:$/m)[1]?.matchAll(/^ {2}([\w-]+)/gm) ?? [])].map(
        (match) => match[1]!,
      );
      assert.deepEqual(
        named,
        Object.keys(table).filter((key) => table[key]!.positional),
      );
    });
  }
});

/** A usage error (exit 2, one line) whose message matches. */
const usageError = (message: RegExp) => (error: unknown) => error instanceof UsageError && message.test(error.message);

describe("generate's configuration file is checked against its table", () => {
  test("only what the table marks settable, each by its type", () => {
    const generate = optionTables.generate;
    assert.throws(
      () => checkConfig(generate, { watch: true }, "varlink-ts.config.json"),
      usageError(
        /^varlink-ts.config.json: unknown option 'watch' \(known: inputs, out, runtimeImport, importExtension, integers, index, cache\)$/,
      ),
    );
    assert.throws(
      () => checkConfig(generate, { importExtension: "none" }, "varlink-ts.config.json"),
      usageError(/'importExtension' must be "\.js", "\.ts" or ""$/),
    );
    assert.deepEqual(checkConfig(generate, { integers: "bigint", importExtension: "" }, "x"), {
      integers: "bigint",
      importExtension: "",
    });
  });

  test("an error names the file and the key", async () => {
    const cwd = mkdtempSync(path.join(tmpdir(), "varlink-ts-config-"));
    writeFileSync(
      path.join(cwd, "varlink-ts.config.json"),
      JSON.stringify({ inputs: ["api"], out: "gen", integers: "huge" }),
    );
    const own = await cli(["generate"], { cwd });
    assert.equal(own.code, 2);
    assert.equal(own.stderr, `varlink-ts: varlink-ts.config.json: 'integers' must be "number" or "bigint"\n`);
    const other = mkdtempSync(path.join(tmpdir(), "varlink-ts-config-"));
    writeFileSync(
      path.join(other, "package.json"),
      JSON.stringify({ name: "x", "varlink-ts": { out: "gen", index: "yes" } }),
    );
    assert.equal(
      (await cli(["generate"], { cwd: other })).stderr,
      `varlink-ts: package.json "varlink-ts": 'index' must be true or false\n`,
    );
  });
});

describe("--timeout means the same in every command", () => {
  for (const command of [
    ["call", "unix:/nowhere.sock", "org.example.test.Echo"],
    ["info", "unix:/nowhere.sock"],
    ["bridge", "http", "--service", "test=unix:/nowhere.sock"],
  ]) {
    test(`${command.slice(0, 2).join(" ")} refuses a --timeout that is not a positive number of seconds or 'infinity'`, async () => {
      for (const bad of ["soon", "0", "-1"]) {
        const run = await cli([...command, "--timeout", bad], { cwd: repoRoot });
        assert.equal(run.code, 2);
        assert.equal(
          run.stderr,
          `varlink-ts: --timeout takes a positive number of seconds or 'infinity' (got '${bad}')\n`,
        );
      }
    });
  }

  test("bridge http takes --timeout infinity, as call does, for no limit", async (t) => {
    const bridge = await startBridge(["--timeout", "infinity", "--service", "test=unix:/nowhere.sock"]);
    t.after(() => bridge.stop());
    assert.match(bridge.stderr(), /listening on/);
  });
});

describe("--interface-file means the same in every command", () => {
  const text = "interface org.example.other\n\nmethod Ping() -> (pong: bool)\n";

  /** A service that answers GetInfo and GetInterfaceDescription with MethodNotImplemented, and the file that describes it. */
  async function quietService(t: {
    after: (fn: () => Promise<void>) => void;
  }): Promise<{ address: string; file: string }> {
    const quiet = await startServer(
      [{ name: "org.example.other", description: text, methods: { Ping: () => ({ pong: true }) } }],
      { interceptors: [withoutIntrospection] },
    );
    t.after(() => quiet.server.close({ timeout: 0 }));
    const file = path.join(mkdtempSync(path.join(tmpdir(), "varlink-ts-ifile-")), "org.example.other.varlink");
    writeFileSync(file, text);
    return { address: quiet.address, file };
  }

  test("list-methods and the bridge both list what the FILE describes", async (t) => {
    const { address, file } = await quietService(t);
    const verb = await cliProcess(["list-methods", "--interface-file", file, address, "org.example.other"]);
    assert.equal(verb.stdout, "org.example.other.Ping\n", verb.stderr);
    const bridge = await startBridge(["--service", `quiet=${address}`, "--interface-file", file]);
    t.after(() => bridge.stop());
    const response = await fetch(`${bridge.url}/services/quiet/org.example.other`);
    assert.deepEqual(await response.json(), { methods: ["Ping"] });
  });

  test("the bridge takes SERVICE=FILE too, and needs it when several services are bridged", async (t) => {
    const { address, file } = await quietService(t);
    const bridge = await startBridge([
      "--service",
      `quiet=${address}`,
      "--service",
      "other=unix:/nowhere.sock",
      "--interface-file",
      `quiet=${file}`,
    ]);
    t.after(() => bridge.stop());
    assert.deepEqual(await (await fetch(`${bridge.url}/services/quiet/org.example.other`)).json(), {
      methods: ["Ping"],
    });
    const run = await cli(
      [
        "bridge",
        "http",
        "--service",
        `quiet=${address}`,
        "--service",
        "other=unix:/nowhere.sock",
        "--interface-file",
        file,
      ],
      { cwd: repoRoot },
    );
    assert.equal(run.code, 2);
    assert.match(run.stderr, /--interface-file takes SERVICE=FILE when several services are bridged \(quiet, other\)/);
  });
});
