import type { ImportDeclarationStructure } from "ts-morph";
import { StructureKind } from "./ts-morph.js";

/**
 * The runtime names a generated file uses. Emitters ask for a name when they write it, so the
 * import list is exactly what the file needs and is written in one place, never by hand.
 */
export class RuntimeImports {
  private readonly values = new Set<string>();
  private readonly types = new Set<string>();

  constructor(private readonly moduleSpecifier: string) {}

  value(name: string): string {
    this.values.add(name);
    return name;
  }

  type(name: string): string {
    this.types.add(name);
    return name;
  }

  declaration(): ImportDeclarationStructure | undefined {
    const names = [...new Set([...this.values, ...this.types])].sort();
    if (names.length === 0) return undefined;
    return {
      kind: StructureKind.ImportDeclaration,
      moduleSpecifier: this.moduleSpecifier,
      namedImports: names.map((name) => (this.values.has(name) ? { name } : { name, isTypeOnly: true })),
    };
  }
}
