import { atom, ref, stringLiteral, type Declaration, type Expression, type Member, type TypeNode } from "./code/ast.js";
import { runtime, type EmitContext } from "./context.js";
import { idlDoc, lineComments, tsDoc } from "./docs.js";
import type { EmitMethod } from "./emit-model.js";

// The interface as one value, as connect-es generates one per service: its name and text, a
// method table of the generated checks and the modes, its error classes. createClient() and
// server.addInterface() take it; the client's and the handlers' types are derived from it.
// The interface of its methods is marked `@varlink NAME` and carries the interface's
// documentation and comments, and each method's as written: what `varlink-ts derive` reads.

/** What a method's entry says about how it is called, beyond its checks. */
function modes(method: EmitMethod): Expression | undefined {
  // Where the interface annotates no method, a client may stream any (mayStream).
  const more = method.modes.more ?? (method.mayStream ? "supports" : undefined);
  const properties = [
    ...(more !== undefined ? [{ key: "more", value: stringLiteral(more) }] : []),
    ...(method.modes.upgrade !== undefined ? [{ key: "upgrade", value: stringLiteral(method.modes.upgrade) }] : []),
  ];
  return properties.length > 0 ? { kind: "object", properties } : undefined;
}

/** How each form of a method is called, for its documentation. */
function formsDoc(method: EmitMethod): string {
  const { more, upgrade } = method.modes;
  if (upgrade === "requires") return "Requires 'upgrade': after the reply the connection carries another protocol.";
  if (more === "requires") return "Requires 'more': the replies come as a stream; a handler yields them.";
  const forms = ["`.oneway()` sends the call without waiting for a reply"];
  if (method.mayStream) forms.push("`.more()` streams the replies (a handler may yield several)");
  if (upgrade === "supports") forms.push("`.upgrade()` hands the connection over to another protocol");
  return `${forms.join("; ")}.`;
}

export function emitDescriptor(context: EmitContext): Declaration[] {
  const { model } = context;
  const { names } = model;
  const checks = new Map(model.types.map((t) => [t.name, t.check]));
  const methods: Expression = {
    kind: "object",
    properties: model.methods.map((method) => {
      const mode = modes(method);
      const args = [
        atom(checks.get(method.input)!),
        atom(checks.get(method.output)!),
        ...(mode !== undefined ? [mode] : []),
      ];
      // Pure too: the descriptor call's own mark does not cover the calls in its arguments.
      return { key: method.wireName, value: { kind: "call", callee: runtime("method"), args, pure: true } };
    }),
  };
  // The methods' types, written out: the descriptor's type names them (declarations stay
  // isolated), and their documentation reaches the client's members through it.
  const methodTypes: Member[] = model.methods.map((method) => {
    const more = method.modes.more ?? (method.mayStream ? "supports" : undefined);
    const mode = (value: string | undefined): TypeNode =>
      value === undefined ? ref("undefined") : { kind: "string-literal", value };
    // The modes default to none: only those that are set are written.
    const modeArgs =
      method.modes.upgrade !== undefined
        ? [mode(more), mode(method.modes.upgrade)]
        : more !== undefined
          ? [mode(more)]
          : [];
    return {
      kind: "property",
      name: method.wireName,
      readonly: true,
      type: ref(runtime("MethodDescriptor"), ref(method.input), ref(method.output), ...modeArgs),
      doc: idlDoc(method.doc, `@remarks ${formsDoc(method)}`),
      comments: lineComments(method.comments),
    };
  });
  const descriptor: Expression = {
    kind: "call",
    callee: runtime("generatedInterface"),
    typeArgs: [ref(names.methods)],
    pure: true,
    args: [
      {
        kind: "object",
        properties: [
          { key: "name", value: atom(names.interfaceName) },
          { key: "description", value: atom(names.interfaceDescription) },
          { key: "types", value: atom(names.types) },
          { key: "methods", value: methods },
          { key: "errors", value: { kind: "array", elements: model.errors.map((e) => atom(e.className)) } },
        ],
      },
    ],
  };
  const typeOf = `typeof ${names.descriptor}`;
  return [
    {
      kind: "interface",
      exported: true,
      name: names.methods,
      doc: idlDoc(
        model.doc,
        `@remarks The methods of \`${model.name}\`, as its descriptor holds them.`,
        `@varlink ${model.name}`,
      ),
      comments: lineComments(model.comments),
      members: methodTypes,
      closing: model.comments?.closing,
    },
    {
      kind: "const",
      exported: true,
      name: names.descriptor,
      type: ref(runtime("InterfaceDescriptor"), ref(names.methods)),
      value: descriptor,
      doc: tsDoc(
        idlDoc(model.doc),
        `\`${model.name}\`: \`createClient(${names.descriptor}, connection)\` calls it, \`server.addInterface(${names.descriptor}, handlers)\` serves it.`,
      ),
    },
    {
      kind: "type-alias",
      exported: true,
      name: names.client,
      type: ref(runtime("Client"), ref(typeOf)),
      doc: `A typed client for \`${model.name}\`: one member per method, made by \`createClient(${names.descriptor}, connection)\`.`,
    },
    {
      kind: "type-alias",
      exported: true,
      name: names.handlers,
      type: ref(runtime("Handlers"), ref(typeOf)),
      doc: `The methods of \`${model.name}\` a service implements, every one of them (or say \`{ partial: true }\` to \`addInterface\`).`,
    },
  ];
}
