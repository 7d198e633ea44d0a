import { readFile } from "node:fs/promises";
import { UsageError } from "./io.js";

/** The text of a file a command-line option names; what stops it being read is a usage error that names both. */
export async function readOptionFile(file: string, option: string): Promise<string> {
  return readFile(file, "utf8").catch((error: NodeJS.ErrnoException) => {
    const reason =
      error.code === "ENOENT"
        ? "no such file"
        : error.code === "EACCES"
          ? "permission denied"
          : error.code === "EISDIR"
            ? "it is a folder"
            : error.message;
    throw new UsageError(`${option}: cannot read ${file}: ${reason}`);
  });
}
