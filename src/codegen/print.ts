// Generated code is laid out by code/print-module.ts as prettier would lay it out with its
// default options. A user's own prettier options (found by the CLI) are applied by prettier
// itself: the only place the generator imports it, and only when there are options to apply.

export type FormatOptions = import("prettier").Options;

/** Whether `options` ask for anything prettier's defaults would not do. */
function hasOptions(options: FormatOptions | null): options is FormatOptions {
  if (options === null) return false;
  const { filepath: _filepath, parser: _parser, plugins: _plugins, ...rest } = options;
  return Object.keys(rest).length > 0;
}

export async function formatTypeScript(text: string, options: FormatOptions | null): Promise<string> {
  if (!hasOptions(options)) return text;
  const prettier = await import("prettier");
  const { filepath: _ignored, ...rest } = options;
  return prettier.format(text, { ...rest, parser: "babel-ts" });
}
