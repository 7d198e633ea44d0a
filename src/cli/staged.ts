import { execFile } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { UsageError } from "./io.js";

// `generate --check --staged` judges what is being committed, not the working tree: git's index
// (every staged file, as it will be committed) is written out to a temporary folder, and the
// check runs there. Editing an interface, regenerating, and staging only the interface is then
// refused, as the pre-commit framework refuses it by stashing what is not staged.

export interface StagedSnapshot {
  /** Where `cwd` is in the snapshot. */
  cwd: string;
  remove(): Promise<void>;
}

const git = promisify(execFile);

/** The index of the git repository `cwd` is in, written out; `remove()` deletes it. */
export async function stagedSnapshot(cwd: string): Promise<StagedSnapshot> {
  let top: string;
  try {
    top = (await git("git", ["rev-parse", "--show-toplevel"], { cwd, encoding: "utf8" })).stdout.trim();
  } catch (error) {
    const reason =
      (error as NodeJS.ErrnoException).code === "ENOENT" ? "git is not installed" : `${cwd} is not in a git repository`;
    throw new UsageError(`--staged checks what git's index holds, but ${reason}`);
  }
  const folder = await mkdtemp(path.join(tmpdir(), "varlink-ts-staged-"));
  try {
    // The trailing slash makes --prefix a folder.
    await git("git", ["checkout-index", "--all", `--prefix=${folder}${path.sep}`], {
      cwd: top,
      maxBuffer: 64 * 1024 * 1024,
    });
  } catch (error) {
    await rm(folder, { recursive: true, force: true });
    throw new Error(
      `cannot write out git's index: ${(error as { stderr?: string }).stderr?.trim() || (error as Error).message}`,
    );
  }
  return {
    cwd: path.join(folder, path.relative(top, cwd)),
    remove: () => rm(folder, { recursive: true, force: true }),
  };
}
