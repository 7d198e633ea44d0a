/** IDL documentation as TSDoc text: the parts given, a blank line between them; undefined when empty. */
export function tsDoc(...parts: Array<string | undefined>): string | undefined {
  const text = parts.filter((p): p is string => p !== undefined && p.trim() !== "").join("\n\n");
  return text === "" ? undefined : text;
}
