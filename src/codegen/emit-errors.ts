import { atom, call, ref, stringLiteral, type Declaration } from "./code/ast.js";
import { runtime, type EmitContext } from "./context.js";
import { tsDoc } from "./docs.js";

// One class per IDL error, extending the runtime's VarlinkError with typed parameters. Its
// `name` is the error's own (`NotEnoughEnergy`); the client raises error replies of this
// interface as these classes, so `instanceof` works.

export function emitErrors(context: EmitContext): Declaration[] {
  const types = new Map(context.model.types.map((type) => [type.name, type]));
  /** An error whose every field is optional can be made without parameters: `new PermissionDenied()`. */
  const mayOmit = (parameters: string): boolean => {
    const type = types.get(parameters);
    return type?.kind === "struct" && type.fields.every((field) => field.optional);
  };
  return context.model.errors.map((error) => ({
    kind: "class",
    exported: true,
    name: error.className,
    extends: ref(runtime("VarlinkError"), ref(error.parameters)),
    doc: tsDoc(error.doc, `The error \`${error.qualifiedName}\`.`),
    constants: [{ name: "errorName", value: stringLiteral(error.qualifiedName) }],
    constructor: {
      parameters: [{ name: "parameters", type: ref(error.parameters), ...(mayOmit(error.parameters) ? { default: "{}" } : {}) }],
      body: [{ kind: "expression", expression: call("super", atom(`${error.className}.errorName`), atom("parameters")) }],
    },
  }));
}
