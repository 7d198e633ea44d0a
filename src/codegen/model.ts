import type { EnumType, InterfaceDefinition, MethodModes, StructType, TypeNode } from "../idl/index.js";
import { docProse, typeToString } from "../idl/index.js";
import { interfaceBaseName, NameScope, pascalCase, propertyKey } from "./names.js";

// The interface as the emitters need it: every struct and enum named (anonymous ones hoisted
// with stable names taken from where they stand), TypeScript names resolved, wire names kept.

export type TypeRef =
  | { kind: "bool" | "int" | "float" | "string" | "object" | "any" }
  | { kind: "named"; name: string }
  | { kind: "array"; element: TypeRef }
  | { kind: "map"; value: TypeRef }
  | { kind: "set" }
  | { kind: "nullable"; inner: TypeRef };

export interface FieldModel {
  wireName: string;
  key: string;
  type: TypeRef;
  /** `?T` at the top of a field: the property may be absent or null. */
  optional: boolean;
  doc: string | undefined;
}

interface NamedCommon {
  name: string;
  doc: string | undefined;
  /** Hoisted out of another type; such types get no exported `validate` of their own. */
  hoisted: boolean;
  /** How validation messages name the type: a declared type's IDL name, else its IDL text. */
  display: string;
}

export type NamedModel =
  | (NamedCommon & { kind: "struct"; fields: FieldModel[] })
  | (NamedCommon & { kind: "enum"; values: Array<{ name: string; doc: string | undefined }> });

export interface MethodModel {
  wireName: string;
  input: string;
  output: string;
  modes: MethodModes;
  doc: string | undefined;
  /** Client method names for each form the method allows. */
  call: { plain?: string; more?: string; oneway?: string; upgrade?: string };
}

export interface ErrorModel {
  wireName: string;
  qualifiedName: string;
  className: string;
  parameters: string;
  doc: string | undefined;
}

export interface InterfaceModel {
  name: string;
  description: string;
  doc: string | undefined;
  /** Named types in declaration order, each followed by the types hoisted out of it. */
  types: NamedModel[];
  methods: MethodModel[];
  errors: ErrorModel[];
  exports: {
    interfaceName: string;
    interfaceDescription: string;
    client: string;
    handlers: string;
    createService: string;
    errorFactories: string;
  };
}

export function buildModel(definition: InterfaceDefinition): InterfaceModel {
  const types = new NameScope();
  const values = new NameScope();
  // Declared names first, so that they keep their names and generated ones yield.
  const typeNames = new Map<string, string>();
  for (const member of definition.members) {
    if (member.kind === "type") typeNames.set(member.name, types.claim(member.name));
  }
  const errorClassNames = new Map<string, string>();
  for (const member of definition.members) {
    if (member.kind === "error") {
      const name = types.claim(member.name);
      values.claim(name);
      errorClassNames.set(member.name, name);
    }
  }

  const named: NamedModel[] = [];
  /** A named struct or enum and, after it, the types hoisted out of it (depth first, in field order). */
  const listModels = (list: StructType | EnumType, name: string, doc: string | undefined, hoisted: boolean, display = typeToString(list)): NamedModel[] => {
    if (list.kind === "enum") {
      return [{ kind: "enum", name, values: list.values.map((v) => ({ name: v.name, doc: v.doc })), doc, hoisted, display }];
    }
    const model: NamedModel = { kind: "struct", name, fields: [], doc, hoisted, display };
    const result: NamedModel[] = [model];
    model.fields = list.fields.map((field): FieldModel => {
      const optional = field.type.kind === "nullable";
      const inner = field.type.kind === "nullable" ? field.type.inner : field.type;
      const type = ref(inner, `${name}${pascalCase(field.name)}`, result);
      return { wireName: field.name, key: propertyKey(field.name), type, optional, doc: field.doc };
    });
    return result;
  };
  const ref = (type: TypeNode, nameIfAnonymous: string, out: NamedModel[]): TypeRef => {
    switch (type.kind) {
      case "primitive":
        return { kind: type.name };
      case "reference":
        return { kind: "named", name: typeNames.get(type.name) ?? type.name };
      case "array":
        return { kind: "array", element: ref(type.element, nameIfAnonymous, out) };
      case "map":
        if (type.value.kind === "struct" && type.value.fields.length === 0) return { kind: "set" };
        return { kind: "map", value: ref(type.value, nameIfAnonymous, out) };
      case "nullable":
        return { kind: "nullable", inner: ref(type.inner, nameIfAnonymous, out) };
      case "struct":
      case "enum": {
        const name = types.claim(nameIfAnonymous);
        out.push(...listModels(type, name, undefined, true));
        return { kind: "named", name };
      }
    }
  };
  const emptyStruct: StructType = { kind: "struct", fields: [], closingComments: [], range: undefined as never };
  /** A struct or enum that stands for a member: a type, a method's input or output, an error's parameters. */
  const declare = (list: TypeNode | undefined, name: string, doc: string | undefined, display?: string): void => {
    const shape = list?.kind === "struct" || list?.kind === "enum" ? list : emptyStruct;
    named.push(...listModels(shape, name, doc, false, display));
  };

  const methods: MethodModel[] = [];
  const errors: ErrorModel[] = [];
  for (const member of definition.members) {
    if (member.kind === "type") declare(member.definition, typeNames.get(member.name)!, docProse(member.doc), member.name);
  }
  for (const member of definition.members) {
    if (member.kind === "method") {
      const input = types.claim(`${member.name}Input`);
      const output = types.claim(`${member.name}Output`);
      declare(member.input, input, `The parameters of ${member.name}.`);
      declare(member.output, output, `The reply of ${member.name}.`);
      methods.push({
        wireName: member.name,
        input,
        output,
        modes: member.modes,
        doc: docProse(member.doc),
        call: {},
      });
    } else if (member.kind === "error") {
      const parameters = types.claim(`${member.name}Parameters`);
      declare(member.parameters, parameters, `The parameters of the error ${member.name}.`);
      errors.push({
        wireName: member.name,
        qualifiedName: `${definition.name}.${member.name}`,
        className: errorClassNames.get(member.name)!,
        parameters,
        doc: docProse(member.doc),
      });
    }
  }

  // Client methods keep the varlink method names; other forms get a suffix.
  const clientMembers = new NameScope(["connection", "constructor", "options"]);
  for (const method of methods) {
    const { more, upgrade } = method.modes;
    if (upgrade === "requires") {
      method.call.upgrade = clientMembers.claim(method.wireName);
      continue;
    }
    if (more === "requires") {
      method.call.more = clientMembers.claim(method.wireName);
      continue;
    }
    method.call.plain = clientMembers.claim(method.wireName);
    method.call.more = clientMembers.claim(`${method.wireName}More`);
    method.call.oneway = clientMembers.claim(`${method.wireName}Oneway`);
    if (upgrade === "supports") method.call.upgrade = clientMembers.claim(`${method.wireName}Upgrade`);
  }

  const base = interfaceBaseName(definition.name);
  return {
    name: definition.name,
    description: definition.source,
    doc: docProse(definition.doc),
    types: named,
    methods,
    errors,
    exports: {
      interfaceName: values.claim("interfaceName"),
      interfaceDescription: values.claim("interfaceDescription"),
      client: (() => {
        const name = types.claim(`${base}Client`);
        values.claim(name);
        return name;
      })(),
      handlers: types.claim(`${base}Handlers`),
      createService: values.claim(`create${base}Service`),
      errorFactories: values.claim("errorFactories"),
    },
  };
}
