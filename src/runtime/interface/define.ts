import { VarlinkError, type ErrorClass } from "../protocol/errors.js";
import { interfaceNamePattern, memberNamePattern } from "../model/names.js";
import type { MessageParameters } from "../protocol/call-types.js";
import { InterfaceTypes } from "../validation/interface-types.js";
import { describeValue, type ValidationIssue } from "../validation/issues.js";
import type { StandardSchemaV1Props, StandardSchemaV1Issue, StandardSchemaV1Result } from "../validation/schema.js";
import type {
  Accepted,
  AnyMethodDescriptor,
  InterfaceDescriptor,
  MethodDescriptor,
  ModeSupport,
} from "./descriptor.js";
import { printInterface } from "../model/interface-text.js";
import { libraryOptions, SchemaConversionError, SchemaReader, type JsonSchema } from "./json-schema.js";
import type { InterfaceModel, MemberModel } from "../model/model.js";

// Interfaces written in TypeScript with a schema library: each method's parameters and reply
// are Standard Schemas that also give their JSON Schema (Standard JSON Schema: zod 4, valibot
// with @valibot/to-json-schema, arktype). The result is the same descriptor generated code
// exports: createClient and addInterface take it, calls are validated by the schema library
// itself, and its interface text (for GetInterfaceDescription, and everyone else) is derived
// from the JSON Schemas. What JSON Schema says that varlink cannot is refused, naming the field.

/** The Standard JSON Schema interface (@standard-schema/spec 1.1), copied as its specification asks. */
export interface StandardJSONSchemaV1<Input = unknown, Output = Input> {
  readonly "~standard": StandardJSONSchemaV1Props<Input, Output>;
}

export interface StandardJSONSchemaV1Props<Input = unknown, Output = Input> {
  readonly version: 1;
  readonly vendor: string;
  readonly types?: { readonly input: Input; readonly output: Output } | undefined;
  readonly jsonSchema: {
    readonly input: (options: {
      readonly target: "draft-2020-12" | "draft-07" | "openapi-3.0" | ({} & string);
      readonly libraryOptions?: Record<string, unknown>;
    }) => Record<string, unknown>;
    readonly output: (options: {
      readonly target: "draft-2020-12" | "draft-07" | "openapi-3.0" | ({} & string);
      readonly libraryOptions?: Record<string, unknown>;
    }) => Record<string, unknown>;
  };
}

/** A schema that validates (Standard Schema) and describes itself (Standard JSON Schema). */
export type DescribedSchema<Input = unknown, Output = Input> = {
  readonly "~standard": StandardSchemaV1Props<Input, Output> & StandardJSONSchemaV1Props<Input, Output>;
};

export interface SchemaMethod {
  /** The call's parameters: an object schema. */
  parameters: DescribedSchema;
  /** One reply: an object schema. */
  reply: DescribedSchema;
  more?: ModeSupport;
  upgrade?: ModeSupport;
  doc?: string;
}

export interface SchemaError {
  parameters: DescribedSchema;
  doc?: string;
}

/** What a schema's validation produces. */
type OutputOf<S> = S extends { readonly "~standard": { readonly types?: { readonly output: infer O } | undefined } }
  ? O
  : unknown;
type ModeOf<T> = T extends ModeSupport ? T : undefined;

export type SchemaMethods<M extends Record<string, SchemaMethod>> = {
  readonly [K in keyof M]: MethodDescriptor<
    OutputOf<M[K]["parameters"]>,
    OutputOf<M[K]["reply"]>,
    ModeOf<M[K]["more"]>,
    ModeOf<M[K]["upgrade"]>
  >;
};

/** A class of error replies: `throw new Demo.error.OutOfRange({ limit: 3 })`. */
export interface SchemaErrorClass<P extends object> {
  readonly errorName: string;
  new (parameters: P): VarlinkError<P>;
}

export interface DefinedInterface<M extends Record<string, SchemaMethod>, E extends Record<string, SchemaError>>
  extends InterfaceDescriptor<SchemaMethods<M>> {
  /** The interface's error classes, by name. */
  readonly error: { readonly [K in keyof E]: SchemaErrorClass<OutputOf<E[K]["parameters"]> & object> };
}

/**
 * An interface from schemas. Its text is derived from their JSON Schemas; a schema varlink
 * cannot express throws a SchemaConversionError that names the field and says why.
 */
export function defineInterface<
  const M extends Record<string, SchemaMethod>,
  const E extends Record<string, SchemaError> = {},
>(spec: { name: string; doc?: string; methods: M; errors?: E }): DefinedInterface<M, E> {
  if (!interfaceNamePattern.test(spec.name))
    throw new TypeError(`'${spec.name}' is not a varlink interface name (like org.example.demo)`);
  const reader = new SchemaReader();
  const members: MemberModel[] = [];
  const methods: Record<string, AnyMethodDescriptor> = {};
  for (const [name, method] of Object.entries(spec.methods)) {
    checkMemberName(name, "method");
    const modes = {
      ...(method.more !== undefined ? { more: method.more } : {}),
      ...(method.upgrade !== undefined ? { upgrade: method.upgrade } : {}),
    };
    const annotations = [
      ...(method.more !== undefined ? [annotation(method.more, "more")] : []),
      ...(method.upgrade !== undefined ? [annotation(method.upgrade, "upgrade")] : []),
    ];
    const doc = [method.doc, ...annotations].filter((line) => line !== undefined).join("\n");
    members.push({
      kind: "method",
      name,
      input: reader.struct(jsonSchemaOf(method.parameters, `${name}.parameters`), `${name}.parameters`),
      output: reader.struct(jsonSchemaOf(method.reply, `${name}.reply`), `${name}.reply`),
      modes,
      ...(doc !== "" ? { doc } : {}),
    });
    methods[name] = {
      name,
      more: method.more,
      upgrade: method.upgrade,
      acceptCall: (parameters) => validate(method.parameters, parameters),
      acceptReply: (reply, check) => (check ? validate(method.reply, reply) : { ok: true, value: reply }),
    };
  }
  const errorClasses: Record<string, ErrorClass> = {};
  for (const [name, error] of Object.entries(spec.errors ?? {})) {
    checkMemberName(name, "error");
    members.push({
      kind: "error",
      name,
      parameters: reader.struct(jsonSchemaOf(error.parameters, `${name}.parameters`), `${name}.parameters`),
      ...(error.doc !== undefined ? { doc: error.doc } : {}),
    });
    errorClasses[name] = errorClass(`${spec.name}.${name}`);
  }
  // Declared types (from $defs) come first, as an IDL file usually has them.
  const declared: MemberModel[] = [...reader.types].map(([name, type]) => ({ kind: "type", name, type }));
  checkNamespace(spec.name, declared, members, reader.places);
  const model: InterfaceModel = {
    name: spec.name,
    members: [...declared, ...members],
    ...(spec.doc !== undefined ? { doc: spec.doc } : {}),
  };
  const description = printInterface(model);
  return {
    name: spec.name,
    description,
    types: new InterfaceTypes(model),
    methods: methods as unknown as SchemaMethods<M>,
    errors: Object.values(errorClasses),
    error: errorClasses as unknown as DefinedInterface<M, E>["error"],
    model,
    acceptError: (_name, parameters) => ({ ok: true, value: parameters }),
  };
}

function checkMemberName(name: string, what: string): void {
  if (!memberNamePattern.test(name))
    throw new TypeError(`'${name}' is not a varlink ${what} name (a capital letter, then letters and digits)`);
}

/**
 * What the IDL front end would refuse in the text: an interface that declares nothing, and two
 * members of one name (types, methods and errors share one namespace).
 */
function checkNamespace(
  interfaceName: string,
  declared: MemberModel[],
  members: MemberModel[],
  places: ReadonlyMap<string, string>,
): void {
  if (declared.length + members.length === 0)
    throw new TypeError(`interface '${interfaceName}' declares no method or error: give it a method`);
  const seen = new Map<string, string>();
  for (const member of [...declared, ...members]) {
    const what =
      member.kind === "type"
        ? `the type with the id '${member.name}' (at ${places.get(member.name)})`
        : `the ${member.kind} '${member.name}'`;
    const first = seen.get(member.name);
    if (first !== undefined)
      throw new TypeError(`${what} and ${first} have one name: types, methods and errors share one namespace`);
    seen.set(member.name, what);
  }
}

function annotation(mode: ModeSupport, flag: "more" | "upgrade"): string {
  return `[${mode === "requires" ? "Requires" : "Supports"} '${flag}' flag]`;
}

/**
 * The schema's JSON Schema for what travels: its input (a transform's output is the handler's).
 * A library that still fails says why in its words; the error says where.
 */
function jsonSchemaOf(schema: DescribedSchema, path: string): JsonSchema {
  const standard: Partial<DescribedSchema["~standard"]> | undefined = schema["~standard"];
  if (standard?.jsonSchema === undefined) throw new SchemaConversionError(path, withoutJsonSchema(standard?.vendor));
  try {
    return standard.jsonSchema.input({ target: "draft-2020-12", libraryOptions }) as JsonSchema;
  } catch (error) {
    throw new SchemaConversionError(
      path,
      `no JSON Schema from its library: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
}

/** What to do about a schema that is not a Standard JSON Schema, for the libraries people use. */
function withoutJsonSchema(vendor: string | undefined): string {
  if (vendor === "valibot")
    return "a valibot schema describes no JSON Schema itself: wrap it in toStandardJsonSchema() from @valibot/to-json-schema";
  if (vendor === undefined)
    return "not a Standard Schema (no '~standard' property): give a zod 4, valibot or arktype schema";
  return `the ${vendor} schema implements Standard Schema but not Standard JSON Schema ('~standard.jsonSchema'), which defineInterface reads the interface from`;
}

function errorClass(errorName: string): ErrorClass {
  const name = errorName.slice(errorName.lastIndexOf(".") + 1);
  return class extends VarlinkError<object> {
    static readonly errorName = errorName;
    constructor(parameters: object = {}) {
      super(errorName, parameters);
      this.name = name;
    }
  };
}

/** A value checked by its schema library; the issues in the runtime's form, with paths. */
function validate(schema: DescribedSchema, value: MessageParameters): Accepted<unknown> | Promise<Accepted<unknown>> {
  const result = schema["~standard"].validate(value);
  const accepted = (settled: StandardSchemaV1Result<unknown>): Accepted<unknown> =>
    settled.issues === undefined
      ? { ok: true, value: settled.value }
      : { ok: false, issues: settled.issues.map((issue) => toIssue(issue, value)) };
  return result instanceof Promise ? result.then(accepted) : accepted(result);
}

function toIssue(issue: StandardSchemaV1Issue, value: unknown): ValidationIssue {
  const segments = (issue.path ?? [])
    .map((segment) => (typeof segment === "object" ? segment.key : segment))
    .map((key) => (typeof key === "symbol" ? String(key) : key));
  const path = segments
    .map((key, i) =>
      typeof key === "number"
        ? `[${key}]`
        : /^[A-Za-z_]\w*$/.test(key)
          ? `${i === 0 ? "" : "."}${key}`
          : `[${JSON.stringify(key)}]`,
    )
    .join("");
  let at: unknown = value;
  for (const key of segments)
    at = typeof at === "object" && at !== null ? (at as Record<string | number, unknown>)[key] : undefined;
  const got = describeValue(at);
  return {
    path,
    segments,
    expected: issue.message,
    got,
    message: `${path === "" ? "(parameters)" : path}: ${issue.message}`,
  };
}
