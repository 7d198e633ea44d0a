import { StructureKind, type MethodSignatureStructure, type OptionalKind, type StatementStructures } from "ts-morph";
import { tsDoc } from "./docs.js";
import type { RuntimeImports } from "./imports.js";
import type { InterfaceModel } from "./model.js";
import { validatorNames } from "./emit-validators.js";

// The server side: a handler interface to implement (a method left out answers
// MethodNotImplemented) and a function that turns an implementation into a runtime service
// interface with the exact interface text, validation of every call and the method modes.

export function emitServer(model: InterfaceModel, imports: RuntimeImports): StatementStructures[] {
  const context = imports.type("CallContext");
  const signatures: Array<OptionalKind<MethodSignatureStructure>> = model.methods.map((method) => {
    const output = method.output;
    const returnType =
      method.modes.upgrade === "requires"
        ? "void | Promise<void>"
        : method.modes.more === "requires"
          ? `AsyncIterable<${output}>`
          : `${output} | Promise<${output}> | AsyncIterable<${output}>`;
    const how =
      method.modes.upgrade === "requires"
        ? "Called with 'upgrade': reply with `context.upgradeConnection(reply)` and speak the new protocol on the stream it returns."
        : method.modes.more === "requires"
          ? "Called with 'more': yield every reply; the last one ends the call."
          : "Return the reply; when called with 'more' it may also yield several replies.";
    return {
      name: method.wireName,
      hasQuestionToken: true,
      docs: tsDoc(method.doc, how),
      parameters: [
        { name: "parameters", type: method.input },
        { name: "context", type: context },
      ],
      returnType,
    };
  });
  const entries = model.methods.map((method) => {
    const validate = validatorNames(method.input).validate;
    const parts = [
      `handler: handlers.${method.wireName}?.bind(handlers)`,
      `validate: (parameters) => ${validate}(parameters, true)[0]?.path`,
    ];
    if (method.modes.more) parts.push(`more: ${JSON.stringify(method.modes.more)}`);
    if (method.modes.upgrade) parts.push(`upgrade: ${JSON.stringify(method.modes.upgrade)}`);
    return `${JSON.stringify(method.wireName)}: { ${parts.join(", ")} }`;
  });
  return [
    {
      kind: StructureKind.Interface,
      name: model.exports.handlers,
      isExported: true,
      docs: [{ description: `The methods of \`${model.name}\` a service implements; one left out answers MethodNotImplemented.` }],
      methods: signatures,
    },
    {
      kind: StructureKind.Function,
      name: model.exports.createService,
      isExported: true,
      docs: [
        {
          description: `Turns \`handlers\` into \`${model.name}\` for a VarlinkServer: every call is validated (undeclared fields are refused with InvalidParameter) before its handler runs.`,
        },
      ],
      parameters: [{ name: "handlers", type: model.exports.handlers }],
      returnType: imports.type("ServiceInterface"),
      statements: [
        `return {`,
        `name: ${model.exports.interfaceName},`,
        `description: ${model.exports.interfaceDescription},`,
        `methods: { ${entries.join(", ")} },`,
        `};`,
      ],
    },
  ];
}
