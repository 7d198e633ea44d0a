import { docProse, moreOf, type InterfaceModel, type MemberModel, type StructModel } from "@varlink-ts/runtime/model";
import { answers, type AnswerName } from "./answers.js";
import {
  answerRef,
  commonParameters,
  commonResponses,
  commonSchemas,
  parameterRef,
  errorBody,
  errorsSchema,
  jsonResponse,
  schemaRef,
} from "./bodies.js";
import { routePath, routes } from "./routes.js";
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
  /** The most the document may hold, in characters of its JSON text; defaultMaxDocumentSize without it. */
  maxSize?: number | undefined;
}

/** 32 MiB: twice the largest message (and so interface description) varlink services send. */
export const defaultMaxDocumentSize = 32 * 1024 * 1024;

/** A document over its size bound, refused as it is built, before it costs more. */
export class OpenApiSizeError extends Error {
  constructor(
    readonly maxSize: number,
    readonly interfaceName: string,
  ) {
    super(
      `the OpenAPI document would be larger than ${maxSize} characters (reached at interface ${interfaceName}); describe fewer or smaller interfaces`,
    );
    this.name = "OpenApiSizeError";
  }
}

export type OpenApiDocument = { openapi: "3.1.0"; [key: string]: unknown };

/** One document for `definitions` (the runtime's model of each interface): each interface a tag, each method an operation. */
export function openApiDocument(definitions: readonly InterfaceModel[], options: OpenApiOptions = {}): OpenApiDocument {
  const parts = new DocumentParts(options);
  const methodNames = definitions.flatMap((definition) =>
    definition.members.filter((m) => m.kind === "method").map((m) => m.name),
  );
  const shared = new Set(methodNames.filter((name, index) => methodNames.indexOf(name) !== index));
  for (const definition of definitions) {
    parts.add(definition, {
      service: options.service,
      tag: definition.name,
      operationId: (name) => (shared.has(name) ? `${definition.name}.${name}` : name),
      schemaPrefix: "",
    });
  }
  const only = definitions.length === 1 ? definitions[0] : undefined;
  const description = only !== undefined ? docProse(only.doc) : undefined;
  const info = {
    title: only?.name ?? definitions.map((d) => d.name).join(", "),
    version: "0.0.0",
    ...(description !== undefined ? { description } : {}),
  };
  return parts.document(
    info,
    options,
    definitions.map((definition) => ({
      name: definition.name,
      ...(docProse(definition.doc) !== undefined ? { description: docProse(definition.doc) } : {}),
    })),
  );
}

/** One service behind the bridge: its name there, what its GetInfo says of it (if it answers), and its interfaces. */
export interface BridgedService {
  service: string;
  info?: { vendor: string; product: string; version: string; url: string } | undefined;
  interfaces: readonly InterfaceModel[];
}

/**
 * One document for everything a bridge serves: every service's interfaces under
 * /call/SERVICE/METHOD. An interface that two services describe differently gets its schemas
 * under each service's name; each interface of each service is a tag.
 */
export function openApiBridgeDocument(
  services: readonly BridgedService[],
  options: Omit<OpenApiOptions, "service"> & { title: string; version: string },
): OpenApiDocument {
  const parts = new DocumentParts(options);
  const texts = new Map<string, Set<string>>();
  for (const { interfaces } of services)
    for (const model of interfaces)
      texts.set(model.name, (texts.get(model.name) ?? new Set()).add(JSON.stringify(model)));
  const tags: Array<{ name: string; description?: string }> = [];
  for (const { service, info, interfaces } of services) {
    for (const definition of interfaces) {
      const tag = `${service}: ${definition.name}`;
      const prose = docProse(definition.doc);
      tags.push({
        name: tag,
        ...(prose !== undefined
          ? { description: prose }
          : info !== undefined
            ? { description: `${info.product} ${info.version}` }
            : {}),
      });
      const schemaPrefix = texts.get(definition.name)!.size > 1 ? `${service.replace(/[^A-Za-z0-9._-]/g, "_")}.` : "";
      parts.add(definition, {
        service,
        tag,
        operationId: (name) => `${service}.${definition.name}.${name}`,
        schemaPrefix,
      });
    }
  }
  const lines = services.map(
    ({ service, info, interfaces }) =>
      `- \`${service}\`: ${info !== undefined ? `${info.product} ${info.version} (${info.vendor})` : "a service that does not describe itself"}; ${interfaces.map((i) => i.name).join(", ") || "no interfaces"}`,
  );
  const info = {
    title: options.title,
    version: options.version,
    description: `The services behind this bridge:\n\n${lines.join("\n")}`,
  };
  const document = parts.document(info, options, tags);
  document["x-varlink-services"] = Object.fromEntries(services.map(({ service, info }) => [service, info ?? null]));
  return document;
}

/** The last label of the schema of an interface's error replies: no interface or member name can be it. */
const errorsKey = "_errors";

interface PartOptions {
  service: string | undefined;
  tag: string;
  operationId: (method: string) => string;
  /** Put before the interface's schema names, to keep apart two services' different versions of one interface. */
  schemaPrefix: string;
}

/** Paths and schemas gathered interface by interface, then made one document, within its size bound. */
class DocumentParts {
  private readonly schemas: Record<string, JsonSchema> = {};
  private readonly paths: Record<string, unknown> = {};
  /** The answers of the operations, each described once in components.responses. */
  private readonly answers = new Set<AnswerName>();
  /** Characters of JSON the document holds so far, less what every document holds. */
  private size = 0;
  private readonly maxSize: number;
  private readonly bearer: boolean;

  constructor(options: Pick<OpenApiOptions, "maxSize" | "bearer">) {
    this.maxSize = options.maxSize ?? defaultMaxDocumentSize;
    this.bearer = options.bearer === true;
  }

  /** `value`, once counted against the bound. */
  private counted<T>(value: T, interfaceName: string): T {
    this.size += JSON.stringify(value).length;
    if (this.size > this.maxSize) throw new OpenApiSizeError(this.maxSize, interfaceName);
    return value;
  }

  add(definition: InterfaceModel, { service, tag, operationId, schemaPrefix }: PartOptions): void {
    const reference = (name: string): string => schemaRef(`${schemaPrefix}${definition.name}.${name}`);
    const errorNames: string[] = [];
    for (const member of definition.members) {
      const qualified = `${definition.name}.${member.name}`;
      if (member.kind === "type")
        this.schemas[`${schemaPrefix}${qualified}`] = this.counted(
          described(typeSchema(member.type, reference), member.doc),
          definition.name,
        );
      if (member.kind === "error") {
        this.schemas[`${schemaPrefix}${qualified}`] = this.counted(
          described(errorBody(qualified, structSchema(member.parameters, reference)), member.doc),
          definition.name,
        );
        errorNames.push(`${schemaPrefix}${qualified}`);
      }
    }
    // The interface's errors are one schema that each of its operations refers to: listed in
    // every operation, they made a document grow with methods times errors.
    const errors = `${schemaPrefix}${definition.name}.${errorsKey}`;
    this.schemas[errors] = this.counted(errorsSchema(errorNames), definition.name);
    // Without a service, the bridge finds the one that has the interface.
    const route = service !== undefined ? routes.serviceCall : routes.call;
    // A bridge without a token never asks for one.
    const answered = route.answers.filter((name) => name !== "Unauthorized" || this.bearer);
    for (const name of answered) this.answers.add(name);
    for (const member of definition.members) {
      if (member.kind !== "method") continue;
      const path = routePath(route, { service: service ?? "", method: `${definition.name}.${member.name}` });
      this.paths[path] = this.counted(
        {
          post: operation(member, {
            operationId: operationId(member.name),
            tag,
            more: moreOf(definition, member),
            errors,
            answered,
            reference,
          }),
        },
        definition.name,
      );
    }
  }

  document(info: Record<string, unknown>, options: OpenApiOptions, tags: readonly object[]): OpenApiDocument {
    Object.assign(this.schemas, commonSchemas);
    return {
      openapi: "3.1.0",
      info,
      ...(options.server !== undefined ? { servers: [{ url: options.server }] } : {}),
      tags,
      paths: this.paths,
      components: {
        schemas: this.schemas,
        responses: Object.fromEntries(
          Object.keys(answers)
            .filter((name) => this.answers.has(name as AnswerName) && name !== "Failed")
            .map((name) => [name, commonResponses[name]]),
        ),
        parameters: commonParameters,
        ...(options.bearer === true ? { securitySchemes: { bearer: { type: "http", scheme: "bearer" } } } : {}),
      },
      ...(options.bearer === true ? { security: [{ bearer: [] }] } : {}),
    };
  }
}

interface OperationContext {
  operationId: string;
  tag: string;
  more: "requires" | "supports" | undefined;
  /** The name of the schema of the interface's error replies. */
  errors: string;
  /** What the route answers besides the reply (routes.ts). */
  answered: readonly AnswerName[];
  reference: (name: string) => string;
}

function operation(
  method: MemberModel & { kind: "method" },
  { operationId, tag, more, errors, answered, reference }: OperationContext,
): object {
  const input = structSchema(method.input, reference);
  const output = structSchema(method.output, reference);
  const prose = docProse(method.doc);
  const notes = [
    more === "requires" ? "Streams its replies: call it with ?more=true (or Accept: application/json-seq)." : undefined,
    more === "supports"
      ? "May stream its replies: with ?more=true (or Accept: application/json-seq) every reply is an RFC 7464 record."
      : undefined,
    method.modes.upgrade === "requires"
      ? "Upgrades the connection: call it through the WebSocket route, not over plain HTTP."
      : undefined,
  ].filter((note) => note !== undefined);
  const content: Record<string, unknown> = {};
  if (more !== "requires") content["application/json"] = { schema: output };
  if (more !== undefined) content["application/json-seq"] = { schema: output };
  const parameters = [...(more !== undefined ? [parameterRef("more")] : []), parameterRef("oneway")];
  return {
    operationId,
    tags: [tag],
    ...(prose !== undefined ? { summary: prose.split("\n")[0] } : {}),
    ...(prose !== undefined || notes.length > 0
      ? { description: [prose, ...notes].filter((part) => part !== undefined).join("\n\n") }
      : {}),
    parameters,
    requestBody: { required: Array.isArray(input["required"]), content: { "application/json": { schema: input } } },
    responses: {
      "200": {
        description:
          more === undefined
            ? "The reply."
            : "The reply; streamed, each reply is one record, and an error ends the sequence with its record.",
        content,
      },
      // 500 is the interface's own errors, or any error without a status of its own.
      ...Object.fromEntries(
        answered.map((name) => [
          String(answers[name].status),
          name === "Failed" ? jsonResponse(answers.Failed.description, [errors]) : answerRef(name),
        ]),
      ),
    },
  };
}

/** A method's or error's struct. */
function structSchema(type: StructModel, reference: (name: string) => string): JsonSchema {
  return typeSchema(type, reference);
}
