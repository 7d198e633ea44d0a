import { watch as watchFolder } from "node:fs";
import { readFile } from "node:fs/promises";
import path from "node:path";
import type { GenerateOptions } from "../../codegen/options.js";
import { generateCached, type Source } from "../cached-generate.js";
import { loadGenerateConfig, type GenerateConfig } from "../config.js";
import type { optionTables } from "../options/commands.js";
import type { OptionValues } from "../options/table.js";
import { displayPath } from "../files.js";
import { globBase, isGlob } from "../glob.js";
import { defaultCacheDir, GenerationCache } from "../generation-cache.js";
import { expandInputs } from "../inputs.js";
import { prettierConfigFor } from "../prettier-config.js";
import { exitCodes, UsageError, type CliIo } from "../io.js";
import { applyChanges, compare, outputRecord, readGenerated, recordHolds, sha256 } from "../output-folder.js";

/** What generate is told on its command line: its option table's values. */
export type GenerateCommandOptions = OptionValues<typeof optionTables.generate>;

/** The command line over the configuration file over the defaults. */
interface Settings extends Required<Pick<GenerateConfig, "inputs" | "out" | "index" | "cache">> {
  /** Where input paths and header paths are relative to. */
  base: string;
  runtimeImport: GenerateConfig["runtimeImport"];
  importExtension: GenerateConfig["importExtension"];
  integers: GenerateConfig["integers"];
  from: string | undefined;
  /** With from: only these interfaces (none: all). */
  interfaces: string[];
}

/** Flags override the configuration file; a setting given nowhere takes its default. */
async function settings(options: GenerateCommandOptions, io: CliIo): Promise<Settings> {
  const loaded = await loadGenerateConfig(io.cwd, options.config);
  const config = loaded?.config ?? {};
  const fromFlags = options.inputs.length > 0;
  const base = fromFlags || loaded === undefined ? io.cwd : loaded.dir;
  const inputs = fromFlags ? options.inputs : options.from !== undefined ? [] : (config.inputs ?? []);
  if (options.from !== undefined && fromFlags)
    throw new UsageError("generate from files or from a service (--from), not both");
  if (options.interface.length > 0 && options.from === undefined)
    throw new UsageError("--interface selects interfaces of a service named with --from");
  if (inputs.length === 0 && options.from === undefined)
    throw new UsageError(
      "name the .varlink files to generate from, or list them as 'inputs' in varlink-ts.config.json",
    );
  const out =
    options.out !== undefined
      ? path.resolve(io.cwd, options.out)
      : config.out !== undefined
        ? path.resolve(base, config.out)
        : undefined;
  if (out === undefined)
    throw new UsageError("name the output folder with --out, or as 'out' in varlink-ts.config.json");
  return {
    inputs,
    base,
    out,
    runtimeImport: options.runtimeImport ?? config.runtimeImport,
    importExtension: options.importExtension ?? config.importExtension,
    integers: options.integers ?? config.integers,
    index: options.index ?? config.index ?? true,
    cache: options.cache ?? config.cache ?? true,
    from: options.from,
    interfaces: options.interface,
  };
}

/** One run of generate (or of generate --check); returns the exit code. */
async function generateOnce(s: Settings, check: boolean, io: CliIo): Promise<number> {
  const sources = s.from !== undefined ? await introspectedSources(s.from, s.interfaces, io) : await fileSources(s);
  if (sources === undefined) return exitCodes.problems;
  const { generatorFingerprint } = await import("../generator-fingerprint.js");
  const generator = generatorFingerprint();
  const cache = s.cache ? new GenerationCache(defaultCacheDir(s.out, io.env)) : undefined;
  const options: GenerateOptions = {
    index: s.index,
    prettier: await prettierConfigFor(path.join(s.out, "index.ts"), generator, cache),
    ...(s.runtimeImport !== undefined ? { runtimeImport: s.runtimeImport } : {}),
    ...(s.importExtension !== undefined ? { importExtension: s.importExtension } : {}),
    ...(s.integers !== undefined ? { integers: s.integers } : {}),
  };
  // Everything the output depends on: the generator's code, its options, every input.
  const fingerprint = sha256(
    JSON.stringify([generator, options, sources.map((src) => [src.sourcePath, sha256(src.text)])]),
  );
  const existing = await readGenerated(s.out);
  const shownOut = displayPath(s.out, io.cwd);
  const recordKey = GenerationCache.key(["output-record", s.out]);
  // Nothing changed since the last run (as a build step rerun finds): no need to load the generator.
  if (recordHolds(await cache?.getValue(recordKey), fingerprint, existing)) {
    io.stdout(`${shownOut}: ${existing.size} generated files are up to date.\n`);
    return exitCodes.ok;
  }

  const { files: generated, diagnostics } = await generateCached({
    sources,
    options,
    fingerprint: generator,
    cache,
  }).catch((error: Error) => {
    throw new UsageError(error.message);
  });
  if (diagnostics.some((list) => list.length > 0)) {
    const { renderDiagnostics, renderSummary, summarize } = await import("../../idl/index.js");
    sources.forEach((source, i) => {
      io.stderr(renderDiagnostics(diagnostics[i]!, source.text, { color: io.color }));
    });
    if (generated === undefined) io.stderr(renderSummary(summarize(diagnostics.flat(), sources.length)));
  }
  if (generated === undefined) {
    io.stderr(`Nothing was generated: ${shownOut} is left as it was.\n`);
    return exitCodes.problems;
  }
  const changes = compare(generated, existing);
  const changed = changes.missing.length + changes.stale.length + changes.extra.length;
  if (check) {
    if (changed === 0) {
      await cache?.setValue(recordKey, outputRecord(fingerprint, generated));
      io.stdout(`${shownOut}: ${generated.length} generated files are up to date.\n`);
      return exitCodes.ok;
    }
    const list = (what: string, names: string[]): string => names.map((n) => `  ${what} ${shownOut}/${n}\n`).join("");
    io.stderr(
      `Generated code is out of date (run 'varlink-ts generate'):\n` +
        list("stale:  ", changes.stale) +
        list("missing:", changes.missing) +
        list("extra:  ", changes.extra),
    );
    return exitCodes.problems;
  }
  await applyChanges(s.out, generated, changes);
  await cache?.setValue(recordKey, outputRecord(fingerprint, generated));
  io.stdout(
    changed === 0
      ? `${shownOut}: ${generated.length} files already up to date.\n`
      : `${shownOut}: wrote ${changes.missing.length + changes.stale.length} of ${generated.length} files` +
          (changes.extra.length > 0 ? `, removed ${changes.extra.length}` : "") +
          ".\n",
  );
  return exitCodes.ok;
}

async function fileSources(s: Settings): Promise<Source[]> {
  const files = await expandInputs(s.inputs, s.base);
  return Promise.all(
    files.map(async (file) => {
      const absolute = path.resolve(s.base, file);
      return { sourcePath: displayPath(absolute, s.base), text: await readFile(absolute, "utf8") };
    }),
  );
}

/**
 * The interfaces a running service describes, each as if read from `NAME.varlink`, their headers
 * naming the service and its address. Named with --interface, they need no GetInfo (which some
 * services do not implement); it is still asked, for the service's name.
 */
async function introspectedSources(
  address: string,
  wanted: readonly string[],
  io: CliIo,
): Promise<Source[] | undefined> {
  const { failedMethodOf, getInfo, getInterfaceDescription, serviceInterface } = await import(
    "../service/introspection.js"
  );
  const { reportFailure, withService } = await import("../service/session.js");
  try {
    return await withService(
      { address },
      async (client) => {
        const info = wanted.length > 0 ? await getInfo(client).catch(() => undefined) : await getInfo(client);
        const names = wanted.length > 0 ? wanted : info!.interfaces.filter((name) => name !== serviceInterface);
        const texts = await Promise.all(names.map((name) => getInterfaceDescription(client, name)));
        io.stderr(`${address}: introspected ${names.join(", ")}\n`);
        const describedBy = `${info?.product !== undefined && info.product !== "" ? info.product : "the service"} at ${address}`;
        return names.map((name, i) => ({ sourcePath: `${name}.varlink`, text: texts[i]!, describedBy }));
      },
      { signal: io.signal },
    );
  } catch (error) {
    reportFailure(io, failedMethodOf(error, "org.varlink.service.GetInterfaceDescription"), error);
    return undefined;
  }
}

/** `varlink-ts generate`: typed TypeScript from .varlink files. */
export async function runGenerate(options: GenerateCommandOptions, io: CliIo): Promise<number> {
  if (options.check && options.watch) throw new UsageError("--check and --watch cannot be used together");
  if (options.from !== undefined && options.watch)
    throw new UsageError("--watch follows files; it cannot be used with --from");
  if (options.staged) return checkStaged(options, io);
  const s = await settings(options, io);
  if (!options.watch) return generateOnce(s, options.check, io);
  return watchAndGenerate(s, io);
}

/**
 * generate --check --staged: the check, run in a copy of git's index. Paths print as they are in
 * the project, and the project's generation cache serves (its keys are the inputs' contents).
 */
async function checkStaged(options: GenerateCommandOptions, io: CliIo): Promise<number> {
  if (!options.check)
    throw new UsageError("--staged goes with --check: it judges what is being committed, and writes nothing");
  if (options.from !== undefined)
    throw new UsageError("--staged checks files in git's index; it cannot be used with --from");
  const { stagedSnapshot } = await import("../staged.js");
  const snapshot = await stagedSnapshot(io.cwd);
  try {
    const env = { ...io.env, VARLINK_TS_CACHE_DIR: defaultCacheDir(io.cwd, io.env) };
    return await runGenerate({ ...options, staged: false }, { ...io, cwd: snapshot.cwd, env });
  } finally {
    await snapshot.remove();
  }
}

/** Regenerates whenever an input changes, until the signal aborts (Ctrl-C from the shell). */
async function watchAndGenerate(s: Settings, io: CliIo): Promise<number> {
  const runSafely = async (): Promise<void> => {
    try {
      await generateOnce(s, false, io);
    } catch (error) {
      io.stderr(`varlink-ts: ${error instanceof Error ? error.message : String(error)}\n`);
    }
  };
  await runSafely();
  const folders = new Set(s.inputs.map((input) => path.resolve(s.base, isGlob(input) ? globBase(input) : input)));
  let timer: NodeJS.Timeout | undefined;
  let running = Promise.resolve();
  const schedule = (): void => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      running = running.then(runSafely);
    }, 100);
  };
  const watchers = [...folders].map((folder) =>
    watchFolder(folder, { recursive: false }, (_event, name) => {
      if (name === null || name.toString().endsWith(".varlink") || folder.endsWith(".varlink")) schedule();
    }),
  );
  io.stderr(`watching ${[...folders].map((f) => displayPath(f, io.cwd)).join(", ")} (Ctrl-C to stop)\n`);
  await new Promise<void>((resolve) => {
    if (io.signal?.aborted) return resolve();
    io.signal?.addEventListener("abort", () => resolve(), { once: true });
  });
  clearTimeout(timer);
  for (const watcher of watchers) watcher.close();
  await running;
  return exitCodes.ok;
}
