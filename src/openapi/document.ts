import { docProse, moreOf, type InterfaceModel, type MemberModel, type StructModel } from "@varlink-ts/runtime/model";
import { commonSchemas, errorBody, jsonResponse, schemaRef } from "./bodies.js";
import { described, typeSchema, type JsonSchema } from "./schema.js";

// OpenAPI 3.1 for interfaces as the HTTP bridge serves them (UAPI.20's simple mode): one POST
// operation per method, its parameters and reply as JSON Schema, every error the interface
// declares, and streaming methods as application/json-seq.

export interface OpenApiOptions {
  /** The bridge's name for the service: paths are /call/SERVICE/METHOD. Without it, /call/METHOD. */
  service?: string | undefined;
  /** The bridge's base URL or path, as the document's server. */
  server?: string | undefined;
  /** The bridge asks for `Authorization: Bearer TOKEN`. */
  bearer?: boolean | undefined;
}

export type OpenApiDocument = { openapi: "3.1.0"; [key: string]: unknown };

/** One document for `definitions` (the runtime's model of each interface): each interface a tag, each method an operation. */
export function openApiDocument(definitions: readonly InterfaceModel[], options: OpenApiOptions = {}): OpenApiDocument {
  const schemas: Record<string, JsonSchema> = {};
  const paths: Record<string, unknown> = {};
  const methodNames = definitions.flatMap((definition) => definition.members.filter((m) => m.kind === "method").map((m) => m.name));
  const shared = new Set(methodNames.filter((name, index) => methodNames.indexOf(name) !== index));
  for (const definition of definitions) {
    const reference = (name: string): string => schemaRef(`${definition.name}.${name}`);
    const errorNames: string[] = [];
    for (const member of definition.members) {
      const qualified = `${definition.name}.${member.name}`;
      if (member.kind === "type") schemas[qualified] = described(typeSchema(member.type, reference), member.doc);
      if (member.kind === "error") {
        schemas[qualified] = described(errorBody(qualified, structSchema(member.parameters, reference)), member.doc);
        errorNames.push(qualified);
      }
    }
    for (const member of definition.members) {
      if (member.kind !== "method") continue;
      const qualified = `${definition.name}.${member.name}`;
      const path = `/call/${options.service !== undefined ? `${encodeURIComponent(options.service)}/` : ""}${qualified}`;
      const operationId = shared.has(member.name) ? qualified : member.name;
      paths[path] = { post: operation(definition, member, { operationId, more: moreOf(definition, member), errorNames, reference }) };
    }
  }
  Object.assign(schemas, commonSchemas);
  const only = definitions.length === 1 ? definitions[0] : undefined;
  const description = only !== undefined ? docProse(only.doc) : undefined;
  return {
    openapi: "3.1.0",
    info: {
      title: only?.name ?? definitions.map((d) => d.name).join(", "),
      version: "0.0.0",
      ...(description !== undefined ? { description } : {}),
    },
    ...(options.server !== undefined ? { servers: [{ url: options.server }] } : {}),
    tags: definitions.map((definition) => ({ name: definition.name, ...(docProse(definition.doc) !== undefined ? { description: docProse(definition.doc) } : {}) })),
    paths,
    components: {
      schemas,
      ...(options.bearer === true ? { securitySchemes: { bearer: { type: "http", scheme: "bearer" } } } : {}),
    },
    ...(options.bearer === true ? { security: [{ bearer: [] }] } : {}),
  };
}

interface OperationContext {
  operationId: string;
  more: "requires" | "supports" | undefined;
  errorNames: string[];
  reference: (name: string) => string;
}

function operation(definition: InterfaceModel, method: MemberModel & { kind: "method" }, { operationId, more, errorNames, reference }: OperationContext): object {
  const input = structSchema(method.input, reference);
  const output = structSchema(method.output, reference);
  const prose = docProse(method.doc);
  const notes = [
    more === "requires" ? "Streams its replies: call it with ?more=true (or Accept: application/json-seq)." : undefined,
    more === "supports" ? "May stream its replies: with ?more=true (or Accept: application/json-seq) every reply is an RFC 7464 record." : undefined,
    method.modes.upgrade === "requires" ? "Upgrades the connection: call it through the WebSocket route, not over plain HTTP." : undefined,
  ].filter((note) => note !== undefined);
  const content: Record<string, unknown> = {};
  if (more !== "requires") content["application/json"] = { schema: output };
  if (more !== undefined) content["application/json-seq"] = { schema: output };
  const parameters = [
    ...(more !== undefined ? [{ name: "more", in: "query", required: false, description: "true streams every reply as an RFC 7464 record (application/json-seq).", schema: { type: "boolean" } }] : []),
    { name: "oneway", in: "query", required: false, description: "true sends the call without waiting for a reply (204).", schema: { type: "boolean" } },
  ];
  return {
    operationId,
    tags: [definition.name],
    ...(prose !== undefined ? { summary: prose.split("\n")[0] } : {}),
    ...(prose !== undefined || notes.length > 0 ? { description: [prose, ...notes].filter((part) => part !== undefined).join("\n\n") } : {}),
    parameters,
    requestBody: { required: Array.isArray(input["required"]), content: { "application/json": { schema: input } } },
    responses: {
      "200": { description: more === undefined ? "The reply." : "The reply; streamed, each reply is one record, and an error ends the sequence with its record.", content },
      "204": { description: "Sent as a oneway call; no reply." },
      "400": jsonResponse("The parameters are not valid, or the call needs another mode.", ["org.varlink.service.InvalidParameter", "org.varlink.service.ExpectedMore", "org.varlink.service.ExpectedUpgrade", "BridgeMessage"]),
      "403": jsonResponse("The service refused the caller.", ["org.varlink.service.PermissionDenied", "BridgeMessage"]),
      "404": jsonResponse("The service does not know the method or its interface, or the bridge does not know the service.", ["org.varlink.service.MethodNotFound", "org.varlink.service.InterfaceNotFound", "BridgeMessage"]),
      "500": jsonResponse("An error of the interface, or of the service.", [...errorNames, "VarlinkError"]),
      "501": jsonResponse("The service does not implement the method.", ["org.varlink.service.MethodNotImplemented"]),
      "502": jsonResponse("The service cannot be reached, or broke off.", ["BridgeMessage"]),
      "504": jsonResponse("The service did not answer in time.", ["BridgeMessage"]),
    },
  };
}

/** A method's or error's struct. */
function structSchema(type: StructModel, reference: (name: string) => string): JsonSchema {
  return typeSchema(type, reference);
}
