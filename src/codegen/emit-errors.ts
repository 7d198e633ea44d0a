import type { StatementStructures } from "ts-morph";
import { StructureKind, VariableDeclarationKind } from "./ts-morph.js";
import { tsDoc } from "./docs.js";
import type { RuntimeImports } from "./imports.js";
import type { InterfaceModel } from "./model.js";

// One class per IDL error, extending the runtime's VarlinkError with typed parameters, and the
// table a client registers so that error replies become these classes (`instanceof` works).

export function emitErrors(model: InterfaceModel, imports: RuntimeImports): StatementStructures[] {
  const out: StatementStructures[] = model.errors.map((error) => ({
    kind: StructureKind.Class,
    name: error.className,
    isExported: true,
    extends: `${imports.value("VarlinkError")}<${error.parameters}>`,
    docs: tsDoc(error.doc, `The error \`${error.qualifiedName}\`.`),
    properties: [
      { name: "errorName", isStatic: true, isReadonly: true, initializer: JSON.stringify(error.qualifiedName) },
    ],
    ctors: [
      {
        parameters: [{ name: "parameters", type: error.parameters }],
        statements: [`super(${error.className}.errorName, parameters);`],
      },
    ],
  }));
  out.push({
    kind: StructureKind.VariableStatement,
    declarationKind: VariableDeclarationKind.Const,
    isExported: true,
    docs: [{ description: `Builds this interface's error classes from error replies; clients register them.` }],
    declarations: [
      {
        name: model.exports.errorFactories,
        type: `ReadonlyArray<readonly [string, ${imports.type("ErrorFactory")}]>`,
        initializer: `[${model.errors
          .map((e) => `[${e.className}.errorName, (parameters) => new ${e.className}(parameters as unknown as ${e.parameters})]`)
          .join(", ")}]`,
      },
    ],
  });
  return out;
}
