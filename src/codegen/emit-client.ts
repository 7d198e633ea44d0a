import { atom, ref, stringLiteral, type Declaration, type Expression, type Member, type TypeNode } from "./code/ast.js";
import { runtime, type EmitContext } from "./context.js";
import { tsDoc } from "./docs.js";
import type { MethodModel } from "./model.js";

// The client: a type with one member per varlink method, in the form the IDL's annotations give
// it, and a factory that hands the runtime a table to build it from. The runtime does the rest
// (calls, streams, errors, reply checks), written once.

/** The member's type: what calling it returns, and the other forms it offers. */
function memberType(method: MethodModel): TypeNode {
  const io = [ref(method.input), ref(method.output)];
  const { more, upgrade } = method.modes;
  if (upgrade === "requires") return ref(runtime("UpgradingMethod"), ...io);
  if (more === "requires") return ref(runtime("StreamingMethod"), ...io);
  const forms = `${method.mayStream ? "More" : ""}${upgrade === "supports" ? "Upgrade" : ""}`;
  return ref(runtime(forms === "" ? "Method" : `MethodWith${forms === "MoreUpgrade" ? "MoreAndUpgrade" : forms}`), ...io);
}

function memberDoc(method: MethodModel): string {
  const { more, upgrade } = method.modes;
  if (upgrade === "requires") return "Requires 'upgrade': after the reply the connection carries another protocol.";
  if (more === "requires") return "Requires 'more': the replies come as a stream.";
  const forms = ["`.oneway()` sends the call without waiting for a reply"];
  if (method.mayStream) forms.push("`.more()` streams the replies");
  if (upgrade === "supports") forms.push("`.upgrade()` hands the connection over to another protocol");
  return `${forms.join("; ")}.`;
}

/** A method's entry in a factory's table: its struct's check and its modes. */
export function methodEntry(method: MethodModel, checkKey: "reply" | "parameters", check: string): { key: string; value: Expression } {
  const properties: Array<{ key: string; value: Expression }> = [{ key: checkKey, value: atom(check) }];
  const more = method.modes.more ?? (checkKey === "reply" && method.mayStream ? "supports" : undefined);
  if (more) properties.push({ key: "more", value: stringLiteral(more) });
  if (method.modes.upgrade) properties.push({ key: "upgrade", value: stringLiteral(method.modes.upgrade) });
  return { key: method.wireName, value: { kind: "object", properties } };
}

export function emitClient(context: EmitContext): Declaration[] {
  const { model } = context;
  const checks = new Map(model.types.map((t) => [t.name, t.check]));
  const members: Member[] = model.methods.map((method) => ({
    kind: "property",
    name: method.wireName,
    readonly: true,
    type: memberType(method),
    doc: tsDoc(method.doc, memberDoc(method)),
  }));
  const spec: Expression = {
    kind: "object",
    properties: [
      { key: "name", value: atom(model.names.interfaceName) },
      { key: "types", value: atom(model.names.types) },
      { key: "methods", value: { kind: "object", properties: model.methods.map((m) => methodEntry(m, "reply", checks.get(m.output)!)) } },
      { key: "errors", value: { kind: "array", elements: model.errors.map((e) => atom(e.className)) } },
    ],
  };
  return [
    {
      kind: "interface",
      exported: true,
      name: model.names.client,
      doc: tsDoc(model.doc, `A typed client for \`${model.name}\`: one member per method. Made by {@link ${model.names.createClient}}.`),
      members,
    },
    {
      kind: "function",
      exported: true,
      name: model.names.createClient,
      doc:
        "A client on `connection`, which it borrows: several clients may share one, and closing it is the caller's. " +
        "`options.validateReplies` checks every reply against its type.",
      parameters: [
        { name: "connection", type: ref(runtime("VarlinkConnection")) },
        { name: "options", optional: true, type: ref(runtime("ClientOptions")) },
      ],
      returnType: ref(model.names.client),
      body: [{ kind: "return", value: { kind: "call", callee: runtime("createClient"), args: [atom("connection"), atom("options"), spec] } }],
    },
  ];
}
