import { Scope, StructureKind, type MethodDeclarationStructure, type OptionalKind, type StatementStructures } from "ts-morph";
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
    const name = JSON.stringify(method.qualifiedName);
    const input = inputParameter(method, types);
    const options = { name: "options", type: callOptions, hasQuestionToken: true };
    const validate = validatorNames(method.output).validate;
    const check = (value: string): string =>
      `if (this.validateReplies) ${imports.value("assertValidReply")}(${name}, ${value}, ${validate});`;
    const modes = method.modes.more === "requires" ? "Requires 'more': the replies come as a stream." : undefined;
    if (method.call.plain) {
      methods.push({
        name: method.call.plain,
        isAsync: true,
        docs: tsDoc(method.doc, modes),
        parameters: [input, options],
        returnType: `Promise<${method.output}>`,
        statements: [`const reply = await this.connection.call<${method.output}>(${name}, parameters, options);`, check("reply"), `return reply;`],
      });
    }
    if (method.call.more) {
      methods.push({
        name: method.call.more,
        isAsync: true,
        isGenerator: true,
        docs: tsDoc(method.doc, method.call.plain ? `Called with 'more': every reply as it comes.` : modes),
        parameters: [input, options],
        returnType: `AsyncGenerator<${method.output}, void, undefined>`,
        statements: [`for await (const reply of this.connection.more<${method.output}>(${name}, parameters, options)) {`, check("reply"), `yield reply;`, `}`],
      });
    }
    if (method.call.oneway) {
      methods.push({
        name: method.call.oneway,
        docs: tsDoc(method.doc, `Called with 'oneway': no reply comes; resolves once the call is sent.`),
        parameters: [input],
        returnType: "Promise<void>",
        statements: [`return this.connection.oneway(${name}, parameters);`],
      });
    }
    if (method.call.upgrade) {
      methods.push({
        name: method.call.upgrade,
        isAsync: true,
        docs: tsDoc(method.doc, `Called with 'upgrade': after the reply the connection carries another protocol.`),
        parameters: [input, options],
        returnType: `Promise<${imports.type("UpgradeResult")}<${method.output}>>`,
        statements: [
          `const result = await this.connection.upgrade<${method.output}>(${name}, parameters, options);`,
          check("result.parameters"),
          `return result;`,
        ],
      });
    }
  }
  return [
    {
      kind: StructureKind.Class,
      name: model.exports.client,
      isExported: true,
      docs: tsDoc(model.doc, `A typed client for \`${model.name}\`, bound to one connection.`),
      properties: [{ name: "validateReplies", scope: Scope.Private, isReadonly: true, type: "boolean" }],
      ctors: [
        {
          docs: [{ description: "Registers this interface's error classes on the connection. `validateReplies` checks every reply against its type." }],
          parameters: [
            { name: "connection", isReadonly: true, scope: Scope.Public, type: imports.type("VarlinkClient") },
            { name: "options", type: "{ validateReplies?: boolean }", initializer: "{}" },
          ],
          statements: [
            `this.validateReplies = options.validateReplies === true;`,
            `for (const [name, factory] of ${model.exports.errorFactories}) connection.registerError(name, factory);`,
          ],
        },
      ],
      methods,
    },
  ];
}
