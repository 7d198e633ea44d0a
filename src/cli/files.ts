import { randomBytes } from "node:crypto";
import { chmod, mkdir, rename, rm, stat, writeFile } from "node:fs/promises";
import path from "node:path";

/**
 * `mkdir -p`, one folder at a time from the nearest one that exists. Node's own recursive mkdir
 * never returns where the kernel answers ENOENT for a child of a folder that exists (/proc/x),
 * and it words a file in the way as a raw EEXIST; this says which path and why.
 */
export async function makeFolder(dir: string, mode?: number): Promise<void> {
  const missing: string[] = [];
  for (let at = path.resolve(dir); ; at = path.dirname(at)) {
    const found = await stat(at).catch((error: NodeJS.ErrnoException) => {
      if (error.code === "ENOENT") return undefined;
      throw new Error(`cannot create ${dir}: ${reason(error, at)}`);
    });
    if (found !== undefined) {
      if (!found.isDirectory()) throw new Error(`cannot create ${dir}: ${at} exists and is not a folder`);
      break;
    }
    missing.unshift(at);
    if (path.dirname(at) === at) break;
  }
  for (const at of missing) {
    await mkdir(at, mode).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== "EEXIST") throw new Error(`cannot create ${dir}: ${reason(error, at)}`);
    });
  }
}

/** Node's words for a failed system call ("no such file or directory"), at the path it failed on. */
function reason(error: NodeJS.ErrnoException, at: string): string {
  const words = error.message.replace(/^E[A-Z]+: /, "").replace(/, \w+ '.*'$/s, "");
  return `${words} (${at})`;
}

/** Write beside the file and rename over it, so that a reader never sees half a file. */
export async function writeAtomically(file: string, content: string): Promise<void> {
  await makeFolder(path.dirname(file));
  const temporary = path.join(path.dirname(file), `.${path.basename(file)}.${randomBytes(6).toString("hex")}.tmp`);
  const mode = await stat(file).then(
    (info) => info.mode & 0o7777,
    () => undefined,
  );
  try {
    await writeFile(temporary, content, { flag: "wx" });
    if (mode !== undefined) await chmod(temporary, mode);
    await rename(temporary, file);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
}

/** A path as it appears in generated headers and messages: relative, with forward slashes. */
export function displayPath(file: string, from: string): string {
  const relative = path.relative(from, file) || path.basename(file);
  return relative.split(path.sep).join("/");
}
