import { answers, type Answer, type AnswerName } from "./answers.js";
import type { JsonSchema } from "./schema.js";

// The bodies of the bridge's answers other than replies: error replies ({"error", "parameters"})
// and the bridge's own failures ({"message"}), as UAPI.20's simple HTTP mode defines them.

export const schemaRef = (name: string): string => `#/components/schemas/${name}`;
const responseRef = (name: string): string => `#/components/responses/${name}`;

/** The body of an error reply named `errorName` with these parameters. */
export function errorBody(errorName: string, parameters: JsonSchema): JsonSchema {
  return { type: "object", properties: { error: { const: errorName }, parameters }, required: ["error", "parameters"] };
}

/** Schemas every document holds: the org.varlink.service errors, any error, and the bridge's message. */
export const commonSchemas: Record<string, JsonSchema> = {
  "org.varlink.service.InterfaceNotFound": errorBody(
    "org.varlink.service.InterfaceNotFound",
    parameters({ interface: { type: "string" } }),
  ),
  "org.varlink.service.MethodNotFound": errorBody(
    "org.varlink.service.MethodNotFound",
    parameters({ method: { type: "string" } }),
  ),
  "org.varlink.service.MethodNotImplemented": errorBody(
    "org.varlink.service.MethodNotImplemented",
    parameters({ method: { type: "string" } }),
  ),
  "org.varlink.service.InvalidParameter": errorBody(
    "org.varlink.service.InvalidParameter",
    parameters({ parameter: { type: "string" } }),
  ),
  "org.varlink.service.PermissionDenied": errorBody("org.varlink.service.PermissionDenied", parameters({})),
  "org.varlink.service.ExpectedMore": errorBody("org.varlink.service.ExpectedMore", parameters({})),
  "org.varlink.service.ExpectedUpgrade": errorBody("org.varlink.service.ExpectedUpgrade", parameters({})),
  "org.varlinkts.CallTooDeep": errorBody("org.varlinkts.CallTooDeep", parameters({ limit: { type: "integer" } })),
  "org.varlinkts.ShuttingDown": errorBody("org.varlinkts.ShuttingDown", parameters({})),
  VarlinkError: {
    type: "object",
    description: "An error reply of the service: its fully qualified name and its parameters.",
    properties: { error: { type: "string" }, parameters: { type: "object" } },
    required: ["error", "parameters"],
  },
  BridgeMessage: {
    type: "object",
    description: "Why the bridge could not pass the call on, or why the service failed it.",
    properties: { message: { type: "string" } },
    required: ["message"],
  },
};

function parameters(properties: Record<string, JsonSchema>): JsonSchema {
  const required = Object.keys(properties);
  return { type: "object", properties, ...(required.length > 0 ? { required } : {}) };
}

/**
 * The answers an operation may get besides its reply and its interface's errors, the same in
 * every operation: each is written once, in components.responses, and referred to.
 */
export const commonResponses: Record<string, JsonSchema> = Object.fromEntries(
  Object.entries(answers).map(([name, answer]) => [name, answerResponse(answer)]),
);

function answerResponse({ description, errors, message, header }: Answer): JsonSchema {
  const names = [...errors, ...(message ? ["BridgeMessage"] : [])];
  return {
    ...(names.length > 0 ? jsonResponse(description, names) : { description }),
    ...(header !== undefined
      ? { headers: { [header.name]: { description: header.description, schema: { type: "string" } } } }
      : {}),
  };
}

export const answerRef = (name: AnswerName): JsonSchema => ({ $ref: responseRef(name) });

/** The query parameters of the calls, the same in every operation: written once, in components.parameters. */
export const commonParameters: Record<string, JsonSchema> = {
  more: {
    name: "more",
    in: "query",
    required: false,
    description: "true streams every reply as an RFC 7464 record (application/json-seq).",
    schema: { type: "boolean" },
  },
  oneway: {
    name: "oneway",
    in: "query",
    required: false,
    description: "true sends the call without waiting for a reply (204).",
    schema: { type: "boolean" },
  },
};

export const parameterRef = (name: keyof typeof commonParameters): JsonSchema => ({
  $ref: `#/components/parameters/${name}`,
});

/** The schema of any error reply of an interface: one of its errors, or any error (anyOf: any error also matches VarlinkError). */
export function errorsSchema(errorNames: readonly string[]): JsonSchema {
  return { anyOf: [...errorNames, "VarlinkError"].map((name) => ({ $ref: schemaRef(name) })) };
}

/** A JSON response whose body is one of the named schemas (anyOf: any error also matches VarlinkError). */
export function jsonResponse(description: string, names: readonly string[]): JsonSchema {
  const refs = names.map((name) => ({ $ref: schemaRef(name) }));
  return { description, content: { "application/json": { schema: refs.length === 1 ? refs[0] : { anyOf: refs } } } };
}
