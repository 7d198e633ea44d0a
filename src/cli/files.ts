import { randomBytes } from "node:crypto";
import { chmod, mkdir, rename, rm, stat, writeFile } from "node:fs/promises";
import path from "node:path";

/** Write beside the file and rename over it, so that a reader never sees half a file. */
export async function writeAtomically(file: string, content: string): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
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
