import type { Doc } from "./doc.js";

// A shortcut the layout engine would take anyway: a statement, member or declaration that fits
// on its line is printed flat by prettier's printer, so it is handed over as one string, which
// costs the printer nothing to measure. Docs that must break (hard lines, forced groups) and
// text whose width is not its length (non-ASCII) keep going through the printer.

const printWidth = 80;

function flatText(doc: Doc, out: string[]): boolean {
  if (typeof doc === "string") {
    out.push(doc);
    return true;
  }
  if (Array.isArray(doc)) return doc.every((part) => flatText(part, out));
  switch (doc.type) {
    case "group":
      if (doc.break) return false;
      return flatText(
        doc.expandedStates !== undefined && doc.expandedStates.length > 0 ? doc.expandedStates[0]! : doc.contents,
        out,
      );
    case "indent":
    case "align":
    case "label":
      return flatText(doc.contents, out);
    case "indent-if-break":
      return flatText((doc as unknown as { contents: Doc }).contents, out);
    case "if-break":
      return flatText(doc.flatContents, out);
    case "line":
      if (doc.hard === true) return false;
      out.push(doc.soft === true ? "" : " ");
      return true;
    case "line-suffix-boundary":
      return true;
    default:
      return false;
  }
}

/** `doc` as one string when it fits flat in the columns left after `indentation`; else `doc`. */
export function flatIfFits(doc: Doc, indentation: number): Doc {
  const out: string[] = [];
  if (!flatText(doc, out)) return doc;
  const text = out.join("");
  return text.length + indentation <= printWidth && /^[\x20-\x7e]*$/.test(text) ? text : doc;
}
