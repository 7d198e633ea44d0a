import { atom, call, ref, stringLiteral, type Declaration } from "./code/ast.js";
import { runtime } from "./context.js";
import { idlDoc, lineComments } from "./docs.js";
import type { EmitError, EmitType } from "./emit-model.js";
import { isObjectMember } from "./names.js";

// One class per IDL error, extending the runtime's VarlinkError with typed parameters. Its
// `name` is the error's own (`NotEnoughEnergy`); the client raises error replies of this
// interface as these classes, so `instanceof` works.

/** The class of `error`, whose parameters are `parameters`. */
export function errorClass(error: EmitError, parameters: EmitType): Declaration {
  // An error whose every field is optional can be made without parameters: `new PermissionDenied()`.
  const mayOmit = parameters.kind === "struct" && parameters.fields.every((field) => field.optional);
  // `{}` has Object.prototype's members, so TypeScript refuses it for a field named like one of
  // them (`constructor?: boolean | null`): it is then said to be the parameters it stands for.
  const empty =
    mayOmit && parameters.fields.some((field) => isObjectMember(field.wireName)) ? `{} as ${error.parameters}` : "{}";
  return {
    kind: "class",
    exported: true,
    name: error.className,
    extends: ref(runtime("VarlinkError"), ref(error.parameters)),
    doc: idlDoc(error.doc, `@remarks The error \`${error.qualifiedName}\`.`),
    comments: lineComments(error.comments),
    constants: [{ name: "errorName", value: stringLiteral(error.qualifiedName) }],
    constructor: {
      parameters: [{ name: "parameters", type: ref(error.parameters), ...(mayOmit ? { default: empty } : {}) }],
      body: [
        { kind: "expression", expression: call("super", atom(`${error.className}.errorName`), atom("parameters")) },
      ],
    },
  };
}
