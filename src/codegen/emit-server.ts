import type { MethodSignatureStructure, OptionalKind, StatementStructures } from "ts-morph";
import { StructureKind } from "./ts-morph.js";
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
    const [returnType, how] =
      method.modes.upgrade === "requires"
        ? ["void | Promise<void>", "Called with 'upgrade': reply with `context.upgradeConnection(reply)` and speak the new protocol on the stream it returns."]
        : method.modes.more === "requires"
          ? [`AsyncIterable<${output}>`, "Called with 'more': yield every reply; the last one ends the call."]
          : [`${imports.type("HandlerResult")}<${output}>`, undefined];
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
    const parts = [`validate: ${validatorNames(method.input).validate}`];
    if (method.modes.more) parts.push(`more: ${JSON.stringify(method.modes.more)}`);
    if (method.modes.upgrade) parts.push(`upgrade: ${JSON.stringify(method.modes.upgrade)}`);
    return `${method.wireName}: { ${parts.join(", ")} }`;
  });
  return [
    {
      kind: StructureKind.Interface,
      name: model.exports.handlers,
      isExported: true,
      docs: [
        {
          description: `The methods of \`${model.name}\` a service implements; one left out answers MethodNotImplemented. A method returns its reply, or for a call with 'more' may yield several.`,
        },
      ],
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
        `return ${imports.value("implementInterface")}(${model.exports.interfaceName}, ${model.exports.interfaceDescription}, handlers, { ${entries.join(", ")} });`,
      ],
    },
  ];
}
