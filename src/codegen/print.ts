import * as prettier from "prettier";

// The only place the generator imports prettier: generated code is formatted last, with the
// user's prettier options when the caller found some (reading them is the CLI's business).

export type FormatOptions = prettier.Options;

export async function formatTypeScript(text: string, options: FormatOptions = {}): Promise<string> {
  const { filepath: _ignored, ...rest } = options;
  // babel-ts reads TypeScript like the typescript parser does here, in two thirds of the time.
  return prettier.format(text, { ...rest, parser: "babel-ts" });
}
