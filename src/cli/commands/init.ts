import { existsSync, statSync } from "node:fs";
import { cp, readdir, readFile, rename, writeFile } from "node:fs/promises";
import path from "node:path";
import { displayPath, makeFolder } from "../files.js";
import { shellWord } from "../shell-word.js";
import { exitCodes, UsageError, type CliIo } from "../io.js";
import { optionTables } from "../options/commands.js";
import { readOptions, type OptionValues } from "../options/table.js";
import { packageRoot, packageVersion } from "../version.js";
import { runGenerate } from "./generate.js";

// `varlink-ts init DIR`: a new service project from templates/service, with its code generated,
// ready for `npm install && npm run build && npm test`.

/** `packages`: a folder of packed tarballs (`npm run pack`) to depend on instead of the registry's packages. */
export type InitOptions = OptionValues<typeof optionTables.init>;

/** The packages the project depends on, by the tarball names `npm pack` gives them. */
const packedNames = { runtime: "varlink-ts-runtime", toolchain: "varlink-ts" } as const;

/** npm drops files named .gitignore from packages, so the template keeps it without the dot. */
const renamed: Record<string, string> = { gitignore: ".gitignore" };

export async function runInit(options: InitOptions, io: CliIo): Promise<number> {
  const target = path.resolve(io.cwd, options.dir);
  const template = packageRoot !== undefined ? path.join(packageRoot, "templates", "service") : undefined;
  if (template === undefined || !existsSync(template))
    throw new UsageError("the project template is missing from this installation of varlink-ts");
  const sources = options.packages === undefined ? undefined : packedSources(options.packages, io.cwd, target);
  const present = await readdir(target).catch(() => [] as string[]);
  if (present.length > 0 && !options.force)
    throw new UsageError(`${displayPath(target, io.cwd)} is not empty; use --force to add the project files anyway`);

  await makeFolder(target);
  await cp(template, target, { recursive: true, force: true });
  for (const [from, to] of Object.entries(renamed)) {
    if (existsSync(path.join(target, from))) await rename(path.join(target, from), path.join(target, to));
  }
  await personalize(path.join(target, "package.json"), path.basename(target), sources);

  // generate as with no flags: what the project's configuration says.
  const generated = await runGenerate(readOptions(optionTables.generate, {}), { ...io, cwd: target });
  if (generated !== exitCodes.ok) return generated;
  const shown = shellWord(options.dir);
  io.stdout(
    `Created a varlink service project in ${shown}. Next:\n\n  cd ${shown}\n  npm install\n  npm run build && npm test\n  npm start\n`,
  );
  return exitCodes.ok;
}

/**
 * `file:` specs, relative to the project, of this version's tarballs in `folder`. The fd-passing
 * add-on is not among them: the scaffold passes no fds.
 */
function packedSources(folder: string, cwd: string, project: string): Record<keyof typeof packedNames, string> {
  if (!statSync(path.resolve(cwd, folder), { throwIfNoEntry: false })?.isDirectory())
    throw new UsageError(`--packages ${folder}: no such folder (npm run pack writes the packages into one)`);
  const spec = (name: string): string => {
    const tarball = path.resolve(cwd, folder, `${name}-${packageVersion}.tgz`);
    if (!existsSync(tarball))
      throw new UsageError(
        `--packages ${folder}: there is no ${path.basename(tarball)} in it (npm run pack writes it)`,
      );
    return `file:${path.relative(project, tarball).split(path.sep).join("/")}`;
  };
  return { runtime: spec(packedNames.runtime), toolchain: spec(packedNames.toolchain) };
}

/**
 * The project is named after its folder. It runs on the runtime alone (a dependency) and is
 * built with this version of the toolchain (a dev dependency), so a deployed service carries no
 * code generator. Both come from the registry, or from packed tarballs (`sources`).
 */
async function personalize(
  manifestPath: string,
  folderName: string,
  sources: Record<keyof typeof packedNames, string> | undefined,
): Promise<void> {
  const manifest = JSON.parse(await readFile(manifestPath, "utf8")) as {
    name: string;
    dependencies: Record<string, string>;
    devDependencies: Record<string, string>;
  };
  manifest.name = packageNameOf(folderName);
  manifest.dependencies["@varlink-ts/runtime"] = sources?.runtime ?? `^${packageVersion}`;
  manifest.devDependencies["varlink-ts"] = sources?.toolchain ?? `^${packageVersion}`;
  await writeFile(manifestPath, `${JSON.stringify(manifest, null, 2)}\n`);
}

/** An npm package name from a folder's: lower case, runs of other characters as one '-', none at either end. */
function packageNameOf(folderName: string): string {
  return (
    folderName
      .toLowerCase()
      .replace(/[^a-z0-9._-]+/g, "-")
      .replace(/^[._-]+|[._-]+$/g, "") || "varlink-service"
  );
}
