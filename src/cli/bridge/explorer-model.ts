import type { CallOptions, VarlinkConnection } from "@varlink-ts/runtime";
import { docProse, moreSupport, typeToString, type InterfaceDefinition, type StructType, type TypeNode } from "../../idl/index.js";
import type { ExplorerInterface, ExplorerService, ExplorerType } from "../../explorer/model.js";
import { getInfo } from "../service/introspection.js";
import { describeInterface } from "./service-interface.js";

// The explorer page's view of a service: what GetInfo says, and each interface's types, methods
// and errors with their documentation, from the parsed description.

const emptyStruct: ExplorerType & { kind: "struct" } = { kind: "struct", fields: [] };

function withDoc<T extends object>(value: T, doc: string | undefined): T & { doc?: string } {
  const prose = docProse(doc);
  return prose === undefined ? value : { ...value, doc: prose };
}

export function explorerType(type: TypeNode): ExplorerType {
  switch (type.kind) {
    case "primitive":
      return { kind: type.name };
    case "reference":
      return { kind: "named", name: type.name };
    case "array":
      return { kind: "array", element: explorerType(type.element) };
    case "map":
      return type.value.kind === "struct" && type.value.fields.length === 0 ? { kind: "set" } : { kind: "map", value: explorerType(type.value) };
    case "nullable":
      return { kind: "nullable", inner: explorerType(type.inner) };
    case "enum":
      return { kind: "enum", values: type.values.map((value) => withDoc({ name: value.name }, value.doc)) };
    case "struct":
      return structType(type);
  }
}

function structType(type: StructType): ExplorerType & { kind: "struct" } {
  return { kind: "struct", fields: type.fields.map((field) => withDoc({ name: field.name, type: explorerType(field.type), typeText: typeToString(field.type) }, field.doc)) };
}

/** A method's or error's struct; one the source left out is empty. */
function structOf(type: TypeNode | undefined): ExplorerType & { kind: "struct" } {
  return type?.kind === "struct" ? structType(type) : emptyStruct;
}

export function explorerInterface(definition: InterfaceDefinition, source: "service" | "file"): ExplorerInterface {
  const streaming = moreSupport(definition);
  const model: ExplorerInterface = withDoc({ name: definition.name, description: definition.source, source, types: {}, methods: [], errors: [] }, definition.doc);
  for (const member of definition.members) {
    if (member.kind === "type") model.types[member.name] = withDoc({ type: explorerType(member.definition) }, member.doc);
    else if (member.kind === "error") model.errors.push(withDoc({ name: member.name, parameters: structOf(member.parameters) }, member.doc));
    else {
      const more = streaming(member);
      const upgrade = member.modes.upgrade;
      const signature = `method ${member.name}${member.input ? typeToString(member.input) : "()"} -> ${member.output ? typeToString(member.output) : "()"}`;
      model.methods.push(
        withDoc({ name: member.name, input: structOf(member.input), output: structOf(member.output), signature, ...(more !== undefined ? { more } : {}), ...(upgrade !== undefined ? { upgrade } : {}) }, member.doc),
      );
    }
  }
  return model;
}

/** One service for the explorer; what cannot be learned is said, not thrown. */
export async function explorerService(name: string, connection: () => Promise<VarlinkConnection>, files: ReadonlyMap<string, InterfaceDefinition> | undefined, options: CallOptions): Promise<ExplorerService> {
  const service: ExplorerService = { name, interfaces: [], undescribed: [] };
  let client: VarlinkConnection;
  try {
    client = await connection();
  } catch (error) {
    return { ...service, infoError: reason(error) };
  }
  try {
    service.info = await getInfo(client, options);
  } catch (error) {
    service.infoError = reason(error);
  }
  const names = service.info?.interfaces ?? [...(files?.keys() ?? [])];
  for (const interfaceName of names) {
    try {
      const { definition, source } = await describeInterface(client, interfaceName, options, files);
      service.interfaces.push(explorerInterface(definition, source));
    } catch (error) {
      service.undescribed.push({ name: interfaceName, reason: reason(error) });
    }
  }
  return service;
}

function reason(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
