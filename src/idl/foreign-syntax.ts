import type { DiagnosticSink } from "./diagnostics.js";
import type { LineMap } from "./positions.js";

// Mistakes people bring from other IDLs (protobuf, Thrift, TypeScript, D-Bus XML habits):
// braces around the members, `list<T>`-style generics, a version after the interface name, and
// `name type` without the colon. Each is reported with a fix-it, and the text the lexer reads is
// repaired in place (same length, same line breaks, so every offset stays true) so that the rest
// of the file is checked as if it were fixed, instead of drowning in follow-on errors.

const arrayGenerics = new Set([
  "list",
  "List",
  "array",
  "Array",
  "vector",
  "Vector",
  "Vec",
  "seq",
  "sequence",
  "Sequence",
  "repeated",
  "ArrayList",
  "IList",
  "slice",
]);
const mapGenerics = new Set(["map", "Map", "dict", "Dict", "dictionary", "Dictionary", "HashMap", "Record"]);
const optionalGenerics = new Set(["optional", "Optional", "Option", "Maybe", "Nullable"]);

export function repairForeignSyntax(lines: LineMap, sink: DiagnosticSink): string {
  const text = lines.text;
  // Most files have none of these: each search below is one regular expression over the text,
  // and the copy is made only when something is repaired.
  const repairs: Array<{ offset: number; text: string; length: number }> = [];
  const replace: Replace = (offset, replacement, length) =>
    repairs.push({ offset, text: replacement.padEnd(length, " "), length });

  reportBraces(lines, sink, replace);
  reportGenerics(lines, sink, replace);
  reportInterfaceVersion(lines, sink, replace);
  reportMissingColons(lines, sink, replace);
  if (repairs.length === 0) return text;
  let repaired = text;
  for (const repair of repairs.sort((a, b) => b.offset - a.offset)) {
    repaired = repaired.slice(0, repair.offset) + repair.text + repaired.slice(repair.offset + repair.length);
  }
  return repaired;
}

type Replace = (offset: number, replacement: string, length: number) => void;

/** The offset where the line holding `offset` starts. */
function lineStart(lines: LineMap, offset: number): number {
  return offset - lines.position(offset).column + 1;
}

/** Whether `offset` is inside a `#` comment (varlink has no strings, so any `#` starts one). */
function inComment(lines: LineMap, offset: number): boolean {
  return lines.text.lastIndexOf("#", offset) >= lineStart(lines, offset);
}

function reportBraces(lines: LineMap, sink: DiagnosticSink, replace: Replace): void {
  const text = lines.text;
  const braces: number[] = [];
  const pattern = /[{}]/g;
  for (let match = pattern.exec(text); match !== null; match = pattern.exec(text))
    if (!inComment(lines, match.index)) braces.push(match.index);
  if (braces.length === 0) return;
  for (const offset of braces) replace(offset, " ", 1);
  const edits = braces.map((offset) => {
    // A brace alone on its line goes with its line.
    const start = lineStart(lines, offset);
    const end = start + lines.lineText(lines.position(offset).line).length;
    if (text.slice(start, end).trim().length !== 1) {
      // At the end of a line, the blanks before it go too.
      const atEnd = text.slice(offset + 1, end).trim() === "";
      const from = atEnd ? offset - /[ \t]*$/.exec(text.slice(start, offset))![0].length : offset;
      return { range: lines.range(from, offset + 1 - from), newText: "" };
    }
    const next = /\r\n|[\n\r\u2028\u2029]/y;
    next.lastIndex = end;
    return { range: lines.range(start, end - start + (next.exec(text)?.[0].length ?? 0)), newText: "" };
  });
  const [first, ...others] = braces;
  sink.report(
    "braces",
    lines.range(first!, 1),
    `varlink has no braces: the members follow the 'interface' line, one after another`,
    others.map((offset) => ({ message: `the '${text[offset]}' here too`, range: lines.range(offset, 1) })),
    [{ message: braces.length === 1 ? "remove the brace" : "remove the braces", edits }],
  );
}

function reportGenerics(lines: LineMap, sink: DiagnosticSink, replace: Replace): void {
  const text = lines.text;
  const generic = /([A-Za-z_][A-Za-z0-9_]*)[ \t]*<([^<>#\n\r]*)>/g;
  for (let match = generic.exec(text); match !== null; match = generic.exec(text)) {
    const [whole, name, inside] = match as unknown as [string, string, string];
    if (inComment(lines, match.index)) continue;
    const args = inside.split(",").map((arg) => arg.trim());
    let varlink: string | undefined;
    let note = "";
    if (arrayGenerics.has(name) && args.length === 1 && args[0] !== "") varlink = `[]${args[0]}`;
    else if (optionalGenerics.has(name) && args.length === 1 && args[0] !== "") varlink = `?${args[0]}`;
    else if (mapGenerics.has(name) && args.length === 2 && args[1] !== "") {
      varlink = `[string]${args[1]}`;
      if (args[0] !== "string") note = " (map keys are always strings)";
    }
    if (varlink === undefined) continue;
    const where = lines.range(match.index, whole.length);
    sink.report(
      "generic-type",
      where,
      `'${whole}' is not varlink: write '${varlink}'${note}`,
      [],
      [{ message: `write '${varlink}'`, edits: [{ range: where, newText: varlink }] }],
    );
    replace(match.index, varlink, whole.length);
  }
}

function reportInterfaceVersion(lines: LineMap, sink: DiagnosticSink, replace: Replace): void {
  const text = lines.text;
  // The header is the first line that is neither blank nor a comment.
  const header = /^[ \t]*(interface[ \t]+)(\S+)([ \t]+)((?:v|version[ \t]*)?\d+(?:\.\d+)*)[ \t]*(?:#.*)?$/im.exec(text);
  if (!header || /\S/.test(text.slice(0, header.index).replace(/#.*$/gm, ""))) return;
  const [line, before, name, gap, version] = header as unknown as [string, string, string, string, string];
  const offset = header.index + line.indexOf(before) + before.length + name.length;
  const major = /\d+/.exec(version)![0];
  const removed = lines.range(offset, gap.length + version.length);
  sink.report(
    "interface-version",
    lines.range(offset + gap.length, version.length),
    `an interface has no version after its name: a new incompatible version is a new interface, with the number in its name (like '${name}${major}'), as the varlink FAQ says`,
    [],
    [
      { message: `remove '${version}'`, edits: [{ range: removed, newText: "" }] },
      { message: `name the interface '${name}${major}'`, edits: [{ range: removed, newText: major }] },
    ],
  );
  replace(offset, "", gap.length + version.length);
}

/** `(time string)`: after '(' or ',', a lowercase name, blanks, then something that starts a type. */
function reportMissingColons(lines: LineMap, sink: DiagnosticSink, replace: Replace): void {
  const text = lines.text;
  const field = /[(,]\s*([a-z_][A-Za-z0-9_]*)([ \t]+)(?=(?:bool|int|float|string|object|any)\b|[A-Z]|\[|\?|\()/g;
  for (let match = field.exec(text); match !== null; match = field.exec(text)) {
    const [whole, name, blanks] = match as unknown as [string, string, string];
    const nameOffset = match.index + whole.length - blanks.length - name.length;
    // The '(' or ',' must be code too: a comment's "(a," is followed by the next line.
    if (inComment(lines, match.index) || inComment(lines, nameOffset)) continue;
    const typeText = /^[^\s,)#]+/.exec(text.slice(nameOffset + name.length + blanks.length))?.[0] ?? "";
    sink.report(
      "missing-colon",
      lines.range(nameOffset, name.length + blanks.length + typeText.length),
      `expected ':' between the field name '${name}' and its type: write '${name}: ${typeText}'`,
      [],
      [
        {
          message: `insert ':' after '${name}'`,
          edits: [{ range: lines.range(nameOffset + name.length, blanks.length), newText: ": " }],
        },
      ],
    );
    replace(nameOffset + name.length, ":", 1);
    // The type may itself start a list: look for fields inside it too.
    field.lastIndex = nameOffset + name.length + blanks.length;
  }
}
