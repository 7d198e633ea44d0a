import type { StatementStructures } from "ts-morph";
import { StructureKind } from "./ts-morph.js";
import { runtime, type EmitContext } from "./context.js";
import { tsDoc } from "./docs.js";

// One class per IDL error, extending the runtime's VarlinkError with typed parameters. Its
// `name` is the error's own (`NotEnoughEnergy`); the client raises error replies of this
// interface as these classes, so `instanceof` works.

export function emitErrors(context: EmitContext): StatementStructures[] {
  return context.model.errors.map((error) => ({
    kind: StructureKind.Class,
    name: error.className,
    isExported: true,
    extends: `${runtime("VarlinkError")}<${error.parameters}>`,
    docs: tsDoc(error.doc, `The error \`${error.qualifiedName}\`.`),
    properties: [{ name: "errorName", isStatic: true, isReadonly: true, initializer: JSON.stringify(error.qualifiedName) }],
    ctors: [
      {
        parameters: [{ name: "parameters", type: error.parameters }],
        statements: [`super(${error.className}.errorName, parameters);`],
      },
    ],
  }));
}
