import type { StatementStructures } from "ts-morph";
import { StructureKind, VariableDeclarationKind } from "./ts-morph.js";
import { runtime, type EmitContext } from "./context.js";
import type { NamedModel, TypeRef } from "./model.js";

// Straight-line checks, one per named type (typia's way): `isX` is the cheap boolean test and the
// only code that runs for a valid value. What is wrong with an invalid one is reported by the
// runtime from the interface description, so no code per type is spent on it. Declared types
// also get a schema (`XSchema`): the check, validation with paths, and Standard Schema.

/** Names every parsed JSON object inherits; such fields are read as own properties only. */
const inheritedNames = new Set(Object.getOwnPropertyNames(Object.prototype));

interface ContainerCheck {
  name: string;
  /** Whether it passes `options` on to its elements' checks. */
  usesOptions: boolean;
  statement: StatementStructures | undefined;
}

class CheckWriter {
  /** Loop-based checks of container shapes, one function per shape, written once each. */
  readonly containers = new Map<string, ContainerCheck>();
  private readonly types: Map<string, NamedModel>;

  constructor(private readonly context: EmitContext) {
    this.types = new Map(context.model.types.map((t) => [t.name, t]));
  }

  /** A stable description of a container shape; underscores keep its helper apart from IDL-derived names. */
  private shape(ref: TypeRef): string {
    switch (ref.kind) {
      case "named":
        return ref.name;
      case "array":
        return `array_${this.shape(ref.element)}`;
      case "map":
        return `map_${this.shape(ref.value)}`;
      case "nullable":
        return `nullable_${this.shape(ref.inner)}`;
      default:
        return ref.kind;
    }
  }

  /** Whether checking `ref` depends on `exact`: structs and string sets do, at any depth. */
  usesOptions(ref: TypeRef, seen = new Set<string>()): boolean {
    switch (ref.kind) {
      case "set":
        return true;
      case "array":
        return this.usesOptions(ref.element, seen);
      case "map":
        return this.usesOptions(ref.value, seen);
      case "nullable":
        return this.usesOptions(ref.inner, seen);
      case "named":
        return this.types.get(ref.name)?.kind === "struct";
      default:
        return false;
    }
  }

  /** The helper that checks an array or map shape, written on first use. */
  private container(ref: Extract<TypeRef, { kind: "array" | "map" }>): ContainerCheck {
    const key = this.shape(ref);
    const known = this.containers.get(key);
    if (known !== undefined) return known;
    const usesOptions = this.usesOptions(ref);
    const entry: ContainerCheck = { name: this.context.model.scope.claim(`check_${key}`), usesOptions, statement: undefined };
    this.containers.set(key, entry); // claimed before recursing: shapes may refer to themselves through named types
    const body =
      ref.kind === "array"
        ? [`if (!${runtime("isArray")}(value)) return false;`, `for (let i = 0; i < value.length; i++) if (!(${this.check(ref.element, "value[i]")})) return false;`]
        : [`if (!${runtime("isObject")}(value)) return false;`, `for (const key in value) if (!(${this.check(ref.value, "value[key]")})) return false;`];
    entry.statement = {
      kind: StructureKind.Function,
      name: entry.name,
      parameters: [{ name: "value", type: "unknown" }, ...(usesOptions ? [{ name: "options", type: `${runtime("CheckOptions")}`, hasQuestionToken: true }] : [])],
      returnType: "boolean",
      statements: [...body, "return true;"],
    };
    return entry;
  }

  /** A boolean expression that is true when `value` has type `ref`. */
  check(ref: TypeRef, value: string): string {
    switch (ref.kind) {
      case "bool":
        return `typeof ${value} === "boolean"`;
      case "int":
        return this.context.integers === "bigint" ? `typeof ${value} === "bigint"` : `${runtime("isInt")}(${value})`;
      case "float":
        return `${runtime("isFloat")}(${value})`;
      case "string":
        return `typeof ${value} === "string"`;
      case "object":
        return `${runtime("isObject")}(${value})`;
      case "any":
        return `${value} != null`;
      case "set":
        return `${runtime("isStringSet")}(${value}, options)`;
      case "nullable":
        return `(${value} == null || ${this.check(ref.inner, value)})`;
      case "array":
      case "map": {
        const helper = this.container(ref);
        return `${helper.name}(${value}${helper.usesOptions ? ", options" : ""})`;
      }
      case "named": {
        const type = this.types.get(ref.name)!;
        // A hoisted enum is checked where it stands: no function for one comparison chain.
        if (type.kind === "enum" && type.role === "hoisted") return `(${enumTest(type, value)})`;
        return type.kind === "struct" ? `${type.check}(${value}, options)` : `${type.check}(${value})`;
      }
    }
  }

  statements(type: NamedModel): StatementStructures[] {
    if (type.kind === "enum" && type.role === "hoisted") return [];
    const exported = type.role === "declared";
    const docs = exported
      ? [{ description: `Whether \`value\` is a ${type.name}${type.kind === "struct" ? "; fields it does not declare are allowed unless `options.exact`" : ""}.` }]
      : [];
    let statements: string[];
    let parameters: Array<{ name: string; type: string; hasQuestionToken?: boolean }> = [{ name: "value", type: "unknown" }];
    if (type.kind === "enum") {
      statements = [`return ${enumTest(type, "value")};`];
    } else {
      parameters = [...parameters, { name: "options", type: runtime("CheckOptions"), hasQuestionToken: true }];
      const field = (wire: string): string => (inheritedNames.has(wire) ? `${runtime("ownField")}(value, ${JSON.stringify(wire)})` : `value[${JSON.stringify(wire)}]`);
      const tests = type.fields.map((f) => this.check(f.optional ? { kind: "nullable", inner: f.type } : f.type, field(f.wireName)));
      // Undeclared fields are refused by comparing each key with the declared names, inline:
      // the fastest way V8 has to tell.
      const cases = type.fields.map((f) => `case ${JSON.stringify(f.wireName)}:`).join(" ");
      statements = [
        `if (!${runtime("isObject")}(value)) return false;`,
        type.fields.length > 0
          ? `if (options?.exact) for (const key in value) switch (key) { ${cases} break; default: return false; }`
          : `if (options?.exact) for (const _key in value) return false;`,
        `return ${tests.length > 0 ? tests.join(" && ") : "true"};`,
      ];
    }
    const out: StatementStructures[] = [
      { kind: StructureKind.Function, name: type.check, isExported: exported, docs, parameters, returnType: `value is ${type.name}`, statements },
    ];
    if (type.schema !== undefined) {
      out.push({
        kind: StructureKind.VariableStatement,
        declarationKind: VariableDeclarationKind.Const,
        isExported: true,
        docs: [{ description: `${type.name} as a value: its check, validation that says what is wrong and where, and Standard Schema.` }],
        declarations: [
          {
            name: type.schema,
            type: `${runtime("Schema")}<${type.name}>`,
            initializer: `/*@__PURE__*/ ${runtime("schema")}(${type.check}, ${this.context.model.names.types}, ${JSON.stringify(type.name)})`,
          },
        ],
      });
    }
    return out;
  }
}

function enumTest(type: Extract<NamedModel, { kind: "enum" }>, value: string): string {
  return type.values.map((v) => `${value} === ${JSON.stringify(v.name)}`).join(" || ");
}

/**
 * The types something checks: declared ones (exported) and methods' structs (the client and
 * service use them), with what they refer to. Error parameters are not checked, so checks only
 * they would use are not written: unused functions break projects with noUnusedLocals.
 */
function checkedTypes(context: EmitContext): Set<string> {
  const types = new Map(context.model.types.map((t) => [t.name, t]));
  const reached = new Set<string>();
  const visit = (ref: TypeRef): void => {
    if (ref.kind === "array") visit(ref.element);
    else if (ref.kind === "map") visit(ref.value);
    else if (ref.kind === "nullable") visit(ref.inner);
    else if (ref.kind === "named") reach(types.get(ref.name)!);
  };
  const reach = (type: NamedModel): void => {
    if (reached.has(type.name)) return;
    reached.add(type.name);
    if (type.kind === "struct") for (const field of type.fields) visit(field.type);
  };
  for (const type of context.model.types) if (type.role === "declared" || type.role === "input" || type.role === "output") reach(type);
  return reached;
}

export function emitChecks(context: EmitContext): StatementStructures[] {
  const writer = new CheckWriter(context);
  const checked = checkedTypes(context);
  const perType = context.model.types.filter((type) => checked.has(type.name)).flatMap((type) => writer.statements(type));
  return [...[...writer.containers.values()].map((c) => c.statement!), ...perType];
}
