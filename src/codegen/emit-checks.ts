import {
  and,
  atom,
  call,
  or,
  ref,
  stringLiteral,
  type Declaration,
  type Expression,
  type Statement,
} from "./code/ast.js";
import { runtime, type EmitContext } from "./context.js";
import type { EmitType, TypeRef } from "./emit-model.js";

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
  declaration: Declaration | undefined;
}

const unknownType = ref("unknown");
const booleanType = ref("boolean");
const optionsParameter = { name: "options", optional: true, type: ref(runtime("CheckOptions")) };
const returnFalse: Statement = { kind: "return", value: atom("false") };
const not = (operand: Expression): Expression => ({ kind: "unary", operator: "!", operand });

class CheckWriter {
  /** Loop-based checks of container shapes, one function per shape, written once each. */
  readonly containers = new Map<string, ContainerCheck>();
  /** Runtime functions the checks call, each through a local constant (see `helper`). */
  readonly helpers = new Set<string>();
  private readonly types: Map<string, EmitType>;

  constructor(private readonly context: EmitContext) {
    this.types = new Map(context.model.types.map((t) => [t.name, t]));
  }

  /**
   * A runtime function as the checks call it: through a module-level constant (`$isInt`), which
   * V8 calls faster than a property of the namespace import. `$` keeps the name apart from every
   * IDL-derived one.
   */
  private helper(name: string, ...args: Expression[]): Expression {
    this.helpers.add(name);
    return call(`$${name}`, ...args);
  }

  /** A stable description of a container shape; underscores keep its helper apart from IDL-derived names. */
  private shape(type: TypeRef): string {
    switch (type.kind) {
      case "named":
        return type.name;
      case "array":
        return `array_${this.shape(type.element)}`;
      case "map":
        return `map_${this.shape(type.value)}`;
      case "nullable":
        return `nullable_${this.shape(type.inner)}`;
      default:
        return type.kind;
    }
  }

  /** Whether checking `type` depends on `exact`: structs and string sets do, at any depth. */
  private usesOptions(type: TypeRef): boolean {
    switch (type.kind) {
      case "set":
        return true;
      case "array":
        return this.usesOptions(type.element);
      case "map":
        return this.usesOptions(type.value);
      case "nullable":
        return this.usesOptions(type.inner);
      case "named":
        return this.types.get(type.name)?.kind === "struct";
      default:
        return false;
    }
  }

  /** The helper that checks an array or map shape, written on first use. */
  private container(type: Extract<TypeRef, { kind: "array" | "map" }>): ContainerCheck {
    const key = this.shape(type);
    const known = this.containers.get(key);
    if (known !== undefined) return known;
    const entry: ContainerCheck = {
      name: this.context.model.scope.claim(`check_${key}`),
      usesOptions: this.usesOptions(type),
      declaration: undefined,
    };
    this.containers.set(key, entry); // claimed before recursing: shapes may refer to themselves through named types
    const body: Statement[] =
      type.kind === "array"
        ? [
            { kind: "if", test: not(this.helper("isArray", atom("value"))), then: returnFalse },
            {
              kind: "for",
              head: "let i = 0; i < value.length; i++",
              body: { kind: "if", test: not(this.check(type.element, "value[i]")), then: returnFalse },
            },
          ]
        : [
            { kind: "if", test: not(this.helper("isObject", atom("value"))), then: returnFalse },
            {
              kind: "for-in",
              variable: "key",
              object: "value",
              body: { kind: "if", test: not(this.check(type.value, "value[key]")), then: returnFalse },
            },
          ];
    entry.declaration = {
      kind: "function",
      exported: false,
      name: entry.name,
      parameters: [{ name: "value", type: unknownType }, ...(entry.usesOptions ? [optionsParameter] : [])],
      returnType: booleanType,
      body: [...body, { kind: "return", value: atom("true") }],
    };
    return entry;
  }

  /** An expression that is true when `value` has type `type`. */
  check(type: TypeRef, value: string): Expression {
    const v = atom(value);
    switch (type.kind) {
      case "bool":
        return typeOf(value, "boolean");
      case "int":
        return this.context.integers === "bigint" ? typeOf(value, "bigint") : this.helper("isInt", v);
      case "float":
        return this.helper("isFloat", v);
      case "string":
        return typeOf(value, "string");
      case "object":
        return this.helper("isObject", v);
      case "any":
        return { kind: "binary", operator: "!=", left: v, right: atom("null") };
      case "set":
        return this.helper("isStringSet", v, atom("options"));
      case "nullable":
        return or([{ kind: "binary", operator: "==", left: v, right: atom("null") }, this.check(type.inner, value)]);
      case "array":
      case "map": {
        const helper = this.container(type);
        return helper.usesOptions ? call(helper.name, v, atom("options")) : call(helper.name, v);
      }
      case "named": {
        const named = this.types.get(type.name)!;
        // A hoisted enum is checked where it stands: no function for one comparison chain.
        if (named.kind === "enum" && named.role === "hoisted") return enumTest(named, value);
        return named.kind === "struct" ? call(named.check, v, atom("options")) : call(named.check, v);
      }
    }
  }

  declarations(type: EmitType): Declaration[] {
    if (type.kind === "enum" && type.role === "hoisted") return [];
    const exported = type.role === "declared";
    const doc = exported
      ? `Whether \`value\` is a ${type.name}${type.kind === "struct" ? "; fields it does not declare are allowed unless `options.exact`" : ""}.`
      : undefined;
    let body: Statement[];
    let parameters = [{ name: "value", type: unknownType }];
    if (type.kind === "enum") {
      body = [{ kind: "return", value: enumTest(type, "value") }];
    } else {
      parameters = [...parameters, optionsParameter];
      const field = (wire: string): string =>
        inheritedNames.has(wire) ? `$ownField(value, ${JSON.stringify(wire)})` : `value[${JSON.stringify(wire)}]`;
      if (type.fields.some((f) => inheritedNames.has(f.wireName))) this.helpers.add("ownField");
      const tests = type.fields.map((f) =>
        this.check(f.optional ? { kind: "nullable", inner: f.type } : f.type, field(f.wireName)),
      );
      // Undeclared fields are refused by counting: once every declared field is checked, a value
      // with more fields than the required ones plus the optional ones present has another.
      const required = type.fields.filter((f) => !f.optional).length;
      const expected = type.fields
        .filter((f) => f.optional)
        .reduce<Expression>(
          (sum, f) => ({
            kind: "binary",
            operator: "+",
            left: sum,
            right: this.helper("presence", atom(field(f.wireName))),
          }),
          atom(String(required)),
        );
      body = [
        { kind: "if", test: not(this.helper("isObject", atom("value"))), then: returnFalse },
        {
          kind: "if",
          test: and([
            atom("options?.exact"),
            { kind: "binary", operator: "!==", left: this.helper("fieldCount", atom("value")), right: expected },
          ]),
          then: returnFalse,
        },
        { kind: "return", value: tests.length > 0 ? and(tests) : atom("true") },
      ];
    }
    const out: Declaration[] = [
      {
        kind: "function",
        exported,
        name: type.check,
        parameters,
        returnType: { kind: "predicate", parameter: "value", type: ref(type.name) },
        body,
        doc,
      },
    ];
    if (type.schema !== undefined) {
      out.push({
        kind: "const",
        exported: true,
        name: type.schema,
        type: ref(runtime("Schema"), ref(type.name)),
        value: {
          kind: "call",
          callee: runtime("schema"),
          args: [atom(type.check), atom(this.context.model.names.types), stringLiteral(type.name)],
          pure: true,
        },
        doc: `${type.name} as a value: its check, validation that says what is wrong and where, and Standard Schema.`,
      });
    }
    return out;
  }
}

function typeOf(value: string, name: string): Expression {
  return {
    kind: "binary",
    operator: "===",
    left: { kind: "unary", operator: "typeof", operand: atom(value) },
    right: stringLiteral(name),
  };
}

function enumTest(type: Extract<EmitType, { kind: "enum" }>, value: string): Expression {
  return or(
    type.values.map((v) => ({ kind: "binary", operator: "===", left: atom(value), right: stringLiteral(v.name) })),
  );
}

/**
 * The types something checks: declared ones (exported) and methods' structs (the client and
 * service use them), with what they refer to. Error parameters are not checked, so checks only
 * they would use are not written: unused functions break projects with noUnusedLocals.
 */
function checkedTypes(context: EmitContext): Set<string> {
  const types = new Map(context.model.types.map((t) => [t.name, t]));
  const reached = new Set<string>();
  const visit = (type: TypeRef): void => {
    if (type.kind === "array") visit(type.element);
    else if (type.kind === "map") visit(type.value);
    else if (type.kind === "nullable") visit(type.inner);
    else if (type.kind === "named") reach(types.get(type.name)!);
  };
  const reach = (type: EmitType): void => {
    if (reached.has(type.name)) return;
    reached.add(type.name);
    if (type.kind === "struct") for (const field of type.fields) visit(field.type);
  };
  for (const type of context.model.types)
    if (type.role === "declared" || type.role === "input" || type.role === "output") reach(type);
  return reached;
}

export function emitChecks(context: EmitContext): Declaration[] {
  const writer = new CheckWriter(context);
  const checked = checkedTypes(context);
  const perType = context.model.types
    .filter((type) => checked.has(type.name))
    .flatMap((type) => writer.declarations(type));
  const helpers: Declaration[] = [...writer.helpers]
    .sort()
    .map((name) => ({ kind: "const", exported: false, name: `$${name}`, value: atom(runtime(name)) }));
  return [...helpers, ...[...writer.containers.values()].map((c) => c.declaration!), ...perType];
}
