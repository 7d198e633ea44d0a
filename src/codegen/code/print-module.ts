import { builders, printer } from "./doc.js";
import type { Module } from "./ast.js";
import { printDeclaration } from "./print-declarations.js";

// A module as prettier would print it with its default options: a header comment, then the
// declarations with a blank line between them.

const { hardline, join } = builders;

export function printModule(module: Module): string {
  const doc = [
    module.header,
    hardline,
    hardline,
    join([hardline, hardline], module.declarations.map(printDeclaration)),
    hardline,
  ];
  return printer.printDocToString(doc, { printWidth: 80, tabWidth: 2 }).formatted;
}
