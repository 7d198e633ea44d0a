import { atom, ref, type Declaration, type Expression, type Member, type TypeNode } from "./code/ast.js";
import { runtime, type EmitContext } from "./context.js";
import { tsDoc } from "./docs.js";
import { methodEntry } from "./emit-client.js";

// The server side: a handler interface to implement (a method left out answers
// MethodNotImplemented) and a function that turns an implementation into a runtime service
// interface with the exact interface text, an exact check of every call and the method modes.

export function emitServer(context: EmitContext): Declaration[] {
  const { model } = context;
  const checks = new Map(model.types.map((t) => [t.name, t.check]));
  const members: Member[] = model.methods.map((method) => {
    const output = ref(method.output);
    const [returnType, how]: [TypeNode, string | undefined] =
      method.modes.upgrade === "requires"
        ? [ref(runtime("Upgraded")), "Called with 'upgrade': reply with `context.upgradeConnection(reply)` and speak the new protocol on the stream it returns."]
        : method.modes.more === "requires"
          ? [ref(runtime("Replies"), output), "Called with 'more': yield every reply; a returned value is the final one."]
          : method.mayStream
            ? [{ kind: "union", types: [ref(runtime("Reply"), output), ref(runtime("Replies"), output)] }, "When `context.more`, it may yield several replies."]
            : [ref(runtime("Reply"), output), undefined];
    return {
      kind: "method",
      name: method.wireName,
      optional: true,
      // The method's documentation is on the client's member; repeating it here doubled the
      // size of interfaces with long docs (io.podman).
      doc: tsDoc(method.doc === undefined ? undefined : `{@link ${model.names.client}.${method.wireName}}`, how),
      parameters: [
        { name: "parameters", type: ref(method.input) },
        { name: "context", type: ref(runtime("CallContext")) },
      ],
      returnType,
    };
  });
  const spec: Expression = {
    kind: "object",
    properties: [
      { key: "name", value: atom(model.names.interfaceName) },
      { key: "description", value: atom(model.names.interfaceDescription) },
      { key: "types", value: atom(model.names.types) },
      { key: "methods", value: { kind: "object", properties: model.methods.map((m) => methodEntry(m, "parameters", checks.get(m.input)!)) } },
    ],
  };
  return [
    {
      kind: "interface",
      exported: true,
      name: model.names.handlers,
      doc: `The methods of \`${model.name}\` a service implements; one left out answers MethodNotImplemented.`,
      members,
    },
    {
      kind: "function",
      exported: true,
      name: model.names.createService,
      doc: `Turns \`handlers\` into \`${model.name}\` for a VarlinkServer: every call is checked (undeclared fields are refused with InvalidParameter) before its handler runs.`,
      parameters: [{ name: "handlers", type: ref(model.names.handlers) }],
      returnType: ref(runtime("ServiceInterface")),
      body: [{ kind: "return", value: { kind: "call", callee: runtime("implementInterface"), args: [atom("handlers"), spec] } }],
    },
  ];
}
