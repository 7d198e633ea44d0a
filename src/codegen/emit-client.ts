import type { MethodDeclarationStructure, OptionalKind, StatementStructures } from "ts-morph";
import { StructureKind } from "./ts-morph.js";
import { tsDoc } from "./docs.js";
import type { RuntimeImports } from "./imports.js";
import type { InterfaceModel, MethodModel, NamedModel } from "./model.js";
import { validatorNames } from "./emit-validators.js";

// A typed proxy bound to a connection: one method per varlink method, named after it, and a
// suffixed method for each other form (`More`, `Oneway`, `Upgrade`) that the method allows.

/** Parameters may be left out when the input struct has no required field. */
function inputParameter(method: MethodModel, types: Map<string, NamedModel>): { name: string; type: string; initializer?: string } {
  const input = types.get(method.input);
  const optional = input?.kind === "struct" && input.fields.every((f) => f.optional);
  return optional ? { name: "parameters", type: method.input, initializer: "{}" } : { name: "parameters", type: method.input };
}

export function emitClient(model: InterfaceModel, imports: RuntimeImports): StatementStructures[] {
  const types = new Map(model.types.map((t) => [t.name, t]));
  const callOptions = imports.type("CallOptions");
  const methods: Array<OptionalKind<MethodDeclarationStructure>> = [];
  for (const method of model.methods) {
    const name = JSON.stringify(method.wireName);
    const input = inputParameter(method, types);
    const options = { name: "options", type: callOptions, hasQuestionToken: true };
    const validate = validatorNames(method.output).validate;
    const primary = method.call.plain ?? method.call.more ?? method.call.upgrade;
    const mainDoc = (extra?: string) => tsDoc(method.doc, extra);
    const formDoc = (form: string) => (primary === undefined ? [] : [{ description: `{@link ${model.exports.client}.${primary}} ${form}.` }]);
    if (method.call.plain) {
      methods.push({
        name: method.call.plain,
        docs: mainDoc(),
        parameters: [input, options],
        returnType: `Promise<${method.output}>`,
        statements: [`return this.call(${name}, parameters, options, ${validate});`],
      });
    }
    if (method.call.more) {
      const requires = method.modes.more === "requires";
      methods.push({
        name: method.call.more,
        docs: requires ? mainDoc("Requires 'more': the replies come as a stream.") : formDoc("called with 'more': every reply as it comes"),
        parameters: [input, options],
        returnType: `AsyncGenerator<${method.output}, void, undefined>`,
        statements: [`return this.more(${name}, parameters, options, ${validate});`],
      });
    }
    if (method.call.oneway) {
      methods.push({
        name: method.call.oneway,
        docs: formDoc("called with 'oneway': no reply comes; resolves once the call is sent"),
        parameters: [input],
        returnType: "Promise<void>",
        statements: [`return this.oneway(${name}, parameters);`],
      });
    }
    if (method.call.upgrade) {
      const requires = method.modes.upgrade === "requires";
      methods.push({
        name: method.call.upgrade,
        docs: requires ? mainDoc("Requires 'upgrade': after the reply the connection carries another protocol.") : formDoc("called with 'upgrade'"),
        parameters: [input, options],
        returnType: `Promise<${imports.type("UpgradeResult")}<${method.output}>>`,
        statements: [`return this.upgrade(${name}, parameters, options, ${validate});`],
      });
    }
  }
  return [
    {
      kind: StructureKind.Class,
      name: model.exports.client,
      isExported: true,
      extends: imports.value("InterfaceClient"),
      docs: tsDoc(model.doc, `A typed client for \`${model.name}\`, bound to one connection.`),
      ctors: [
        {
          docs: [{ description: "Registers this interface's error classes on the connection; `validateReplies` checks every reply against its type." }],
          parameters: [
            { name: "connection", type: imports.type("VarlinkConnection") },
            { name: "options", type: imports.type("InterfaceClientOptions"), initializer: "{}" },
          ],
          statements: [`super(connection, options, ${model.exports.interfaceName}, ${model.exports.errorFactories});`],
        },
      ],
      methods,
    },
  ];
}
