import type { StatementStructures } from "ts-morph";
import { StructureKind, VariableDeclarationKind } from "./ts-morph.js";
import type { RuntimeImports } from "./imports.js";
import type { InterfaceModel, NamedModel, TypeRef } from "./model.js";

// Straight-line validators, one set per named type (typia's way): `isX` is the cheap boolean
// test; `reportX` runs only when it fails and records every bad value with its path, one call
// per field (containers pass the report of their elements to the runtime's loops). `exact`
// refuses undeclared fields, as a service must for calls; replies are checked without it.

interface Names {
  /** The exported boolean check, `isX(value, exact)`. */
  is: string;
  /** The reporting pass: run when the check fails, it records nothing for a valid value. */
  report: string;
  /** The declared field names, for reporting undeclared ones. */
  keys: string;
  /** The exported `validateX`, for declared types, method inputs and outputs, error parameters. */
  validate: string;
}

export function validatorNames(typeName: string): Names {
  return { is: `is${typeName}`, report: `report${typeName}`, keys: `keysOf${typeName}`, validate: `validate${typeName}` };
}

/** Names every parsed JSON object inherits; such fields are read as own properties only. */
const inheritedNames = new Set(Object.getOwnPropertyNames(Object.prototype));

class ValidatorWriter {
  constructor(
    private readonly imports: RuntimeImports,
    /** How each named type is shown in messages: its IDL name, or the IDL text of an anonymous one. */
    private readonly display: Map<string, string>,
  ) {}

  private r(name: string): string {
    return this.imports.value(name);
  }

  text(ref: TypeRef): string {
    switch (ref.kind) {
      case "named":
        return this.display.get(ref.name) ?? ref.name;
      case "array":
        return `[]${this.text(ref.element)}`;
      case "map":
        return `[string]${this.text(ref.value)}`;
      case "set":
        return "[string]()";
      case "nullable":
        return `?${this.text(ref.inner)}`;
      default:
        return ref.kind;
    }
  }

  /** Loop-based checks of containers, one function per container shape, written once each. */
  readonly containerChecks = new Map<string, StatementStructures>();

  /** A name for a container shape; underscores keep it apart from type-derived names. */
  private shape(ref: TypeRef): string {
    switch (ref.kind) {
      case "named":
        return ref.name;
      case "array":
        return `array_${this.shape(ref.element)}`;
      case "map":
        return `map_${this.shape(ref.value)}`;
      case "set":
        return "set";
      case "nullable":
        return `nullable_${this.shape(ref.inner)}`;
      default:
        return ref.kind;
    }
  }

  /** The function that checks a container shape, written on first use. */
  private containerCheck(ref: Extract<TypeRef, { kind: "array" | "map" | "set" }>): string {
    const name = `check_${this.shape(ref)}`;
    if (this.containerChecks.has(name)) return name;
    this.containerChecks.set(name, undefined as never); // claimed before recursing
    let body: string[];
    if (ref.kind === "array") {
      const element = this.check(ref.element, "value[i]");
      body = [`if (!Array.isArray(value)) return false;`, `for (let i = 0; i < value.length; i++) if (!(${element})) return false;`, `return true;`];
    } else {
      const element = ref.kind === "set" ? `(exact ? ${this.r("isEmptyObject")}(value[key]) : ${this.r("isObject")}(value[key]))` : this.check(ref.value, "value[key]");
      body = [`if (!${this.r("isObject")}(value)) return false;`, `for (const key in value) if (!(${element})) return false;`, `return true;`];
    }
    const usesExact = body.some((line) => /\bexact\b/.test(line));
    this.containerChecks.set(name, {
      kind: StructureKind.Function,
      name,
      parameters: [{ name: "value", type: "unknown" }, { name: usesExact ? "exact" : "_exact", type: "boolean" }],
      returnType: "boolean",
      statements: body,
    });
    return name;
  }

  /** A boolean expression that is true when `value` has type `ref`. */
  check(ref: TypeRef, value: string): string {
    switch (ref.kind) {
      case "bool":
        return `typeof ${value} === "boolean"`;
      case "int":
        return `${this.r("isInt")}(${value})`;
      case "float":
        return `${this.r("isFloat")}(${value})`;
      case "string":
        return `typeof ${value} === "string"`;
      case "object":
        return `${this.r("isObject")}(${value})`;
      case "any":
        return `(${value} !== undefined && ${value} !== null)`;
      case "named":
        return `${validatorNames(ref.name).is}(${value}, exact)`;
      case "array":
      case "map":
      case "set":
        return `${this.containerCheck(ref)}(${value}, exact)`;
      case "nullable":
        return `(${value} === null || ${value} === undefined || ${this.check(ref.inner, value)})`;
    }
  }

  /** Reports of container and nullable shapes, one per shape, written once each. */
  readonly shapeReports = new Map<string, StatementStructures>();

  /** The name of the function that reports the problems of a value of type `ref`. */
  reporter(ref: TypeRef): string {
    switch (ref.kind) {
      case "named":
        return validatorNames(ref.name).report;
      case "set":
        return this.r("reportSet");
      case "array":
      case "map":
      case "nullable":
        return this.shapeReport(ref);
      default:
        return this.r({ bool: "reportBool", int: "reportInt", float: "reportFloat", string: "reportString", object: "reportObject", any: "reportAny" }[ref.kind]);
    }
  }

  /** The report of a container or nullable shape, written on first use. */
  private shapeReport(ref: Extract<TypeRef, { kind: "array" | "map" | "nullable" }>): string {
    const name = `report_${this.shape(ref)}`;
    if (this.shapeReports.has(name)) return name;
    this.shapeReports.set(name, undefined as never); // claimed before recursing
    const body =
      ref.kind === "nullable"
        ? `{ if (value !== null && value !== undefined) ${this.reporter(ref.inner)}(value, path, issues); }`
        : `${this.r(ref.kind === "array" ? "reportArray" : "reportMap")}(value, path, issues, ${JSON.stringify(this.text(ref))}, ${this.reporter(ref.kind === "array" ? ref.element : ref.value)})`;
    this.shapeReports.set(name, reportConstant(name, this.imports.type("Report"), `(value, path, issues) => ${body}`));
    return name;
  }

  statements(type: NamedModel): StatementStructures[] {
    const names = validatorNames(type.name);
    const shown = JSON.stringify(this.display.get(type.name) ?? type.name);
    const out: StatementStructures[] = [];
    let checkBody: string[];
    let reportBody: string[];
    if (type.kind === "enum") {
      const test = type.values.map((v) => `value === ${JSON.stringify(v.name)}`).join(" || ");
      checkBody = [`return ${test};`];
      reportBody = [`if (!(${test})) issues.expected(path, ${shown}, value);`];
    } else {
      out.push({
        kind: StructureKind.VariableStatement,
        declarationKind: VariableDeclarationKind.Const,
        declarations: [{ name: names.keys, type: "ReadonlySet<string>", initializer: `new Set(${JSON.stringify(type.fields.map((f) => f.wireName))})` }],
      });
      const field = (wire: string): string =>
        inheritedNames.has(wire) ? `${this.r("ownField")}(value, ${JSON.stringify(wire)})` : `value[${JSON.stringify(wire)}]`;
      const tests = type.fields.map((f) => {
        const test = this.check(f.type, field(f.wireName));
        return f.optional ? `(${field(f.wireName)} === undefined || ${field(f.wireName)} === null || ${test})` : test;
      });
      // Undeclared fields are refused by comparing each key with the declared names, inline.
      const cases = type.fields.map((f) => `case ${JSON.stringify(f.wireName)}:`).join(" ");
      checkBody = [
        `if (!${this.r("isObject")}(value)) return false;`,
        type.fields.length > 0
          ? `if (exact) for (const key in value) switch (key) { ${cases} break; default: return false; }`
          : `if (exact) for (const _key in value) return false;`,
        `return ${tests.length > 0 ? tests.join(" && ") : "true"};`,
      ];
      reportBody = [
        `if (!${this.r("isObject")}(value)) return issues.expected(path, ${shown}, value);`,
        `issues.undeclared(value, ${names.keys}, path);`,
        ...type.fields.map((f) => {
          const report = this.reporter(f.optional ? { kind: "nullable", inner: f.type } : f.type);
          return `${report}(${field(f.wireName)}, path + ${JSON.stringify("." + f.wireName)}, issues);`;
        }),
      ];
    }
    // Enums ignore `exact`; the parameter stays so every check has the same shape.
    const exact = type.kind === "enum" ? "_exact" : "exact";
    out.push(
      {
        kind: StructureKind.Function,
        name: names.is,
        isExported: true,
        docs: [{ description: `Whether \`value\` is a ${type.name}; undeclared fields are allowed unless \`exact\`.` }],
        parameters: [{ name: "value", type: "unknown" }, { name: exact, initializer: "false" }],
        returnType: `value is ${type.name}`,
        statements: checkBody,
      },
      reportConstant(names.report, this.imports.type("Report"), `(value, path, issues) => { ${reportBody.join(" ")} }`),
    );
    if (!type.hoisted) {
      out.push({
        kind: StructureKind.VariableStatement,
        declarationKind: VariableDeclarationKind.Const,
        isExported: true,
        docs: [{ description: `Every problem that keeps a value from being a ${type.name}, each with its path; none when it is one.` }],
        declarations: [{ name: names.validate, initializer: `${this.r("validator")}(${names.is}, ${names.report})` }],
      });
    }
    return out;
  }
}

export function emitValidators(model: InterfaceModel, imports: RuntimeImports): StatementStructures[] {
  const writer = new ValidatorWriter(imports, new Map(model.types.map((t) => [t.name, t.display])));
  const perType = model.types.flatMap((type) => writer.statements(type));
  return [...writer.containerChecks.values(), ...writer.shapeReports.values(), ...perType];
}

/** `const name: Report = arrow;`: a report needs no parameter types of its own. */
function reportConstant(name: string, type: string, arrow: string): StatementStructures {
  return {
    kind: StructureKind.VariableStatement,
    declarationKind: VariableDeclarationKind.Const,
    declarations: [{ name, type, initializer: arrow }],
  };
}
