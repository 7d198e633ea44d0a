import type { MethodSignatureStructure, OptionalKind, StatementStructures } from "ts-morph";
import { StructureKind } from "./ts-morph.js";
import { property, runtime, type EmitContext } from "./context.js";
import { tsDoc } from "./docs.js";
import { methodEntry } from "./emit-client.js";

// The server side: a handler interface to implement (a method left out answers
// MethodNotImplemented) and a function that turns an implementation into a runtime service
// interface with the exact interface text, an exact check of every call and the method modes.

export function emitServer(context: EmitContext): StatementStructures[] {
  const { model } = context;
  const types = new Map(model.types.map((t) => [t.name, t]));
  const signatures: Array<OptionalKind<MethodSignatureStructure>> = model.methods.map((method) => {
    const output = method.output;
    const [returnType, how] =
      method.modes.upgrade === "requires"
        ? [runtime("Upgraded"), "Called with 'upgrade': reply with `context.upgradeConnection(reply)` and speak the new protocol on the stream it returns."]
        : method.modes.more === "requires"
          ? [`${runtime("Replies")}<${output}>`, "Called with 'more': yield every reply; a returned value is the final one."]
          : method.mayStream
            ? [`${runtime("Reply")}<${output}> | ${runtime("Replies")}<${output}>`, "When `context.more`, it may yield several replies."]
            : [`${runtime("Reply")}<${output}>`, undefined];
    return {
      name: method.wireName,
      hasQuestionToken: true,
      docs: tsDoc(method.doc, how),
      parameters: [
        { name: "parameters", type: method.input },
        { name: "context", type: runtime("CallContext") },
      ],
      returnType,
    };
  });
  const entries = model.methods.map((method) => methodEntry(method, "parameters", types.get(method.input)!.check));
  return [
    {
      kind: StructureKind.Interface,
      name: model.names.handlers,
      isExported: true,
      docs: [{ description: `The methods of \`${model.name}\` a service implements; one left out answers MethodNotImplemented.` }],
      methods: signatures,
    },
    {
      kind: StructureKind.Function,
      name: model.names.createService,
      isExported: true,
      docs: [
        {
          description: `Turns \`handlers\` into \`${model.name}\` for a VarlinkServer: every call is checked (undeclared fields are refused with InvalidParameter) before its handler runs.`,
        },
      ],
      parameters: [{ name: "handlers", type: model.names.handlers }],
      returnType: runtime("ServiceInterface"),
      statements: [
        `return ${runtime("implementInterface")}({ name: ${model.names.interfaceName}, description: ${model.names.interfaceDescription}, ${property("types", model.names.types)}, methods: { ${entries.join(", ")} } }, handlers);`,
      ],
    },
  ];
}
