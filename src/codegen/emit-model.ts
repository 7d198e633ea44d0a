import {
  moreOf,
  type Comments,
  type EnumModel,
  type InterfaceModel,
  type MethodModes,
  type StructModel,
  type TypeModel,
  type TypeShape,
} from "@varlink-ts/runtime/model";
import { interfaceBaseName, NameScope, pascalCase, propertyKey } from "./names.js";

// The interface as the emitters need it, built from the runtime's model: every struct and enum named (anonymous ones hoisted
// with stable names taken from where they stand), TypeScript names resolved in one scope,
// wire names kept, in the order of the interface text. Documentation and comments are kept as
// written, so that the generated code says everything the text does (and `varlink-ts derive`
// can give the text back).

/** A field's type once its anonymous structs and enums are hoisted and named: the runtime's model without lists. */
export type TypeRef = TypeShape<never>;

export interface EmitField {
  wireName: string;
  key: string;
  type: TypeRef;
  /** `?T` at the top of a field: the property may be absent or null. */
  optional: boolean;
  doc: string | undefined;
  comments: Comments | undefined;
}

/** What a named type is: declared with `type`, hoisted out of another type, or a method's or error's struct. */
export type TypeRole = "declared" | "hoisted" | "input" | "output" | "error";

interface NamedCommon {
  name: string;
  doc: string | undefined;
  /** A declared type's comments that are not documentation. */
  comments: Comments | undefined;
  /** Comments after the last field or value. */
  closing: string[] | undefined;
  role: TypeRole;
  /** The generated check, `isX`. */
  check: string;
  /** For declared types: the exported schema, `XSchema`. */
  schema: string | undefined;
}

export type EmitType =
  | (NamedCommon & { kind: "struct"; fields: EmitField[] })
  | (NamedCommon & {
      kind: "enum";
      values: Array<{ name: string; doc: string | undefined; comments: Comments | undefined }>;
    });

export interface EmitMethod {
  wireName: string;
  input: string;
  output: string;
  modes: MethodModes;
  /**
   * Whether a client may also stream the method's replies (`.more`): where the interface marks
   * its methods' modes (as systemd's do), only those marked `[Supports 'more' flag]`; in an
   * interface with no mark at all (most outside systemd), any method, since nothing says which
   * stream.
   */
  mayStream: boolean;
  /** As written, mode annotations included. */
  doc: string | undefined;
  comments: Comments | undefined;
}

export interface EmitError {
  wireName: string;
  qualifiedName: string;
  className: string;
  parameters: string;
  doc: string | undefined;
  comments: Comments | undefined;
}

export interface EmitInterface {
  name: string;
  description: string;
  doc: string | undefined;
  comments: (Comments & { closing?: string[] | undefined }) | undefined;
  /**
   * Named types in the order of the interface's members (a method's parameters, then its
   * reply), each followed by the types hoisted out of it.
   */
  types: EmitType[];
  methods: EmitMethod[];
  errors: EmitError[];
  /** Module-level names besides the types' own. */
  names: {
    interfaceName: string;
    interfaceDescription: string;
    /** The module's lazily read type table. */
    types: string;
    /** The interface descriptor, `Spaceship`. */
    descriptor: string;
    /** The interface of its methods' descriptors, `SpaceshipMethods`. */
    methods: string;
    client: string;
    handlers: string;
  };
  /** Claims names for helpers the emitters add (container checks). */
  scope: NameScope;
}

/** The emitters' view of `source`, whose text generated code carries as `description`. */
export function toEmitInterface(source: InterfaceModel, description: string): EmitInterface {
  const scope = new NameScope();
  // Declared names first, verbatim: generated ones yield to them.
  for (const member of source.members) {
    if (member.kind === "type" || member.kind === "error") scope.claim(member.name);
  }

  /** A named struct or enum; the types hoisted out of it are added after it. */
  const listModel = (
    list: StructModel | EnumModel,
    name: string,
    role: TypeRole,
    member?: { doc?: string | undefined; comments?: Comments | undefined },
  ): EmitType[] => {
    const common = {
      name,
      doc: member?.doc,
      comments: member?.comments,
      closing: list.closing,
      role,
      check: "",
      schema: undefined,
    };
    if (list.kind === "enum")
      return [
        {
          kind: "enum",
          values: list.values.map((v) => ({ name: v.name, doc: v.doc, comments: v.comments })),
          ...common,
        },
      ];
    const model: EmitType = { kind: "struct", fields: [], ...common };
    const result: EmitType[] = [model];
    model.fields = list.fields.map((field): EmitField => {
      const optional = field.type.kind === "nullable";
      const inner = field.type.kind === "nullable" ? field.type.inner : field.type;
      const type = ref(inner, `${name}${pascalCase(field.name)}`, result);
      return {
        wireName: field.name,
        key: propertyKey(field.name),
        type,
        optional,
        doc: field.doc,
        comments: field.comments,
      };
    });
    return result;
  };
  const ref = (type: TypeModel, nameIfAnonymous: string, out: EmitType[]): TypeRef => {
    switch (type.kind) {
      case "array":
        return { kind: "array", element: ref(type.element, nameIfAnonymous, out) };
      case "map":
        return { kind: "map", value: ref(type.value, nameIfAnonymous, out) };
      case "nullable":
        return { kind: "nullable", inner: ref(type.inner, nameIfAnonymous, out) };
      case "struct":
      case "enum": {
        const name = scope.claim(nameIfAnonymous);
        out.push(...listModel(type, name, "hoisted"));
        return { kind: "named", name };
      }
      default:
        return type;
    }
  };

  // Names are claimed as they always were (declared types' hoisted names before methods'
  // structs), and the types then laid out in the order of the members they belong to.
  const groups: EmitType[][] = source.members.map(() => []);
  const methods: EmitMethod[] = [];
  const errors: EmitError[] = [];
  source.members.forEach((member, index) => {
    if (member.kind === "type") groups[index]!.push(...listModel(member.type, member.name, "declared", member));
  });
  source.members.forEach((member, index) => {
    const group = groups[index]!;
    const { doc, comments } = member;
    if (member.kind === "method") {
      const input = scope.claim(`${member.name}Input`);
      const output = scope.claim(`${member.name}Output`);
      group.push(...listModel(member.input, input, "input", { doc: `The parameters of ${member.name}.` }));
      group.push(...listModel(member.output, output, "output", { doc: `The reply of ${member.name}.` }));
      methods.push({
        wireName: member.name,
        input,
        output,
        modes: member.modes,
        mayStream: moreOf(source, member) === "supports",
        doc,
        comments,
      });
    } else if (member.kind === "error") {
      const parameters = scope.claim(`${member.name}Parameters`);
      group.push(
        ...listModel(member.parameters, parameters, "error", { doc: `The parameters of the error ${member.name}.` }),
      );
      errors.push({
        wireName: member.name,
        qualifiedName: `${source.name}.${member.name}`,
        className: member.name,
        parameters,
        doc,
        comments,
      });
    }
  });
  const named = groups.flat();

  const base = interfaceBaseName(source.name);
  const descriptor = scope.claim(base);
  const methodsName = scope.claim(`${base}Methods`);
  const client = scope.claim(`${base}Client`);
  const handlers = scope.claim(`${base}Handlers`);
  // Lower-case names: no IDL name can take them, but they still come from the one scope.
  for (const type of named) {
    type.check = scope.claim(`is${type.name}`);
    if (type.role === "declared") type.schema = scope.claim(`${type.name}Schema`);
  }
  return {
    name: source.name,
    description,
    doc: source.doc,
    comments: source.comments,
    types: named,
    methods,
    errors,
    names: {
      interfaceName: scope.claim("interfaceName"),
      interfaceDescription: scope.claim("interfaceDescription"),
      types: scope.claim("types"),
      descriptor,
      methods: methodsName,
      client,
      handlers,
    },
    scope,
  };
}
