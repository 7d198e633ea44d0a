import type { PropertySignatureStructure, OptionalKind, StatementStructures } from "ts-morph";
import { StructureKind } from "./ts-morph.js";
import { property, runtime, type EmitContext } from "./context.js";
import { tsDoc } from "./docs.js";
import type { MethodModel, NamedModel } from "./model.js";

// The client: a type with one member per varlink method, in the form the IDL's annotations give
// it, and a factory that hands the runtime a table to build it from. The runtime does the rest
// (calls, streams, errors, reply checks), written once.

/** The member's type: what calling it returns, and the other forms it offers. */
function memberType(method: MethodModel): string {
  const io = `<${method.input}, ${method.output}>`;
  const { more, upgrade } = method.modes;
  if (upgrade === "requires") return `${runtime("UpgradingMethod")}${io}`;
  if (more === "requires") return `${runtime("StreamingMethod")}${io}`;
  const forms = [`${runtime("Method")}${io}`];
  if (method.mayStream) forms.push(`${runtime("WithMore")}${io}`);
  if (upgrade === "supports") forms.push(`${runtime("WithUpgrade")}${io}`);
  return forms.join(" & ");
}

function memberDoc(method: MethodModel): string | undefined {
  const { more, upgrade } = method.modes;
  if (upgrade === "requires") return "Requires 'upgrade': after the reply the connection carries another protocol.";
  if (more === "requires") return "Requires 'more': the replies come as a stream.";
  const forms = ["`.oneway()` sends the call without waiting for a reply"];
  if (method.mayStream) forms.push("`.more()` streams the replies");
  if (upgrade === "supports") forms.push("`.upgrade()` hands the connection over to another protocol");
  return `${forms.join("; ")}.`;
}

function checkOf(name: string, types: Map<string, NamedModel>): string {
  return types.get(name)!.check;
}

/** A method's entry in a factory's table: its struct's check and its modes. */
export function methodEntry(method: MethodModel, checkKey: "reply" | "parameters", check: string): string {
  const parts = [`${checkKey}: ${check}`];
  const more = method.modes.more ?? (checkKey === "reply" && method.mayStream ? "supports" : undefined);
  if (more) parts.push(`more: ${JSON.stringify(more)}`);
  if (method.modes.upgrade) parts.push(`upgrade: ${JSON.stringify(method.modes.upgrade)}`);
  return `${method.wireName}: { ${parts.join(", ")} }`;
}

export function emitClient(context: EmitContext): StatementStructures[] {
  const { model } = context;
  const types = new Map(model.types.map((t) => [t.name, t]));
  const members: Array<OptionalKind<PropertySignatureStructure>> = model.methods.map((method) => ({
    name: method.wireName,
    isReadonly: true,
    type: memberType(method),
    docs: tsDoc(method.doc, memberDoc(method)),
  }));
  const entries = model.methods.map((method) => methodEntry(method, "reply", checkOf(method.output, types)));
  return [
    {
      kind: StructureKind.Interface,
      name: model.names.client,
      isExported: true,
      docs: tsDoc(model.doc, `A typed client for \`${model.name}\`: one member per method. Made by {@link ${model.names.createClient}}.`),
      properties: members,
    },
    {
      kind: StructureKind.Function,
      name: model.names.createClient,
      isExported: true,
      docs: [
        {
          description:
            "A client on `connection`, which it borrows: several clients may share one, and closing it is the caller's. " +
            "`options.validateReplies` checks every reply against its type.",
        },
      ],
      parameters: [
        { name: "connection", type: runtime("VarlinkConnection") },
        { name: "options", type: runtime("ClientOptions"), hasQuestionToken: true },
      ],
      returnType: model.names.client,
      statements: [
        `return ${runtime("createClient")}(connection, options, { name: ${model.names.interfaceName}, ${property("types", model.names.types)}, methods: { ${entries.join(", ")} }, errors: [${model.errors.map((e) => e.className).join(", ")}] });`,
      ],
    },
  ];
}
