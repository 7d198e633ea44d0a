import { isEmptyObject, isFloat, isInt, isObject, ownField } from "./checks.js";
import { describeValue, formatIssue, type ValidationIssue } from "./issues.js";
import { typeText, type InterfaceTypes, type TypeDescription } from "./interface-types.js";
import { maxNestingDepth } from "../protocol/json.js";

// The slow path of validation: run only for a value its generated check refused, it walks the
// value along the type read from the interface description and records every problem with its
// path.

export interface ReportOptions {
  /** Undeclared fields are problems too. */
  exact?: boolean | undefined;
}

class Walk {
  readonly issues: ValidationIssue[] = [];
  private readonly exact: boolean;
  private readonly bigints: boolean;

  constructor(
    private readonly types: InterfaceTypes,
    options: ReportOptions,
  ) {
    this.exact = options.exact === true;
    this.bigints = types.integers === "bigint";
  }

  /** `message` in place of `path: expected T, got V`, where that would not read right. */
  private issue(
    path: string,
    segments: Array<string | number>,
    expected: string,
    value: unknown,
    message?: (path: string) => string,
  ): void {
    const found = {
      path: path.startsWith(".") ? path.slice(1) : path,
      segments: [...segments],
      expected,
      got: describeValue(value),
    };
    this.issues.push({ ...found, message: message?.(found.path) ?? formatIssue(found) });
  }

  /**
   * `shown` names the type in messages: a declared type's name, else its IDL text. `depth` counts
   * the objects and arrays around the value: past maxNestingDepth the walk stops with an issue.
   */
  value(
    type: TypeDescription,
    value: unknown,
    path: string,
    segments: Array<string | number>,
    depth: number,
    shown?: string,
  ): void {
    if (depth > maxNestingDepth && typeof value === "object" && value !== null)
      return this.issue(path, segments, `at most ${maxNestingDepth} levels of nesting`, value);
    switch (type.kind) {
      case "bool":
        if (typeof value !== "boolean") this.issue(path, segments, "bool", value);
        return;
      case "int":
        if (this.bigints ? typeof value !== "bigint" : !isInt(value))
          this.issue(path, segments, this.bigints ? "int (as a bigint)" : "int", value);
        return;
      case "float":
        if (!isFloat(value)) this.issue(path, segments, "float", value);
        return;
      case "string":
        if (typeof value !== "string") this.issue(path, segments, "string", value);
        return;
      case "object":
        if (!isObject(value)) this.issue(path, segments, "object", value);
        return;
      case "any":
        if (value === undefined || value === null) this.issue(path, segments, "any", value);
        return;
      case "named":
        return this.value(this.types.get(type.name), value, path, segments, depth, type.name);
      case "nullable":
        if (value !== null && value !== undefined) this.value(type.inner, value, path, segments, depth);
        return;
      case "array":
        if (!Array.isArray(value)) return this.issue(path, segments, shown ?? typeText(type), value);
        value.forEach((element, index) => {
          this.value(type.element, element, `${path}[${index}]`, [...segments, index], depth + 1);
        });
        return;
      case "map":
      case "set":
        if (!isObject(value)) return this.issue(path, segments, shown ?? typeText(type), value);
        for (const key of Object.keys(value)) {
          const keyPath = `${path}[${JSON.stringify(key)}]`;
          if (type.kind === "map") this.value(type.value, value[key], keyPath, [...segments, key], depth + 1);
          else if (this.exact ? !isEmptyObject(value[key]) : !isObject(value[key]))
            this.issue(keyPath, [...segments, key], "{}", value[key]);
        }
        return;
      case "enum":
        if (typeof value !== "string" || !type.values.some((v) => v.name === value))
          this.issue(path, segments, shown ?? typeText(type), value);
        return;
      case "struct": {
        if (!isObject(value)) return this.issue(path, segments, shown ?? typeText(type), value);
        if (this.exact) {
          const declared = new Set(type.fields.map((f) => f.name));
          for (const key of Object.keys(value)) {
            if (!declared.has(key))
              this.issue(
                `${path}.${key}`,
                [...segments, key],
                "no such field",
                value[key],
                (shown) => `unknown field '${shown}'`,
              );
          }
        }
        for (const field of type.fields)
          this.value(
            field.type,
            ownField(value, field.name),
            `${path}.${field.name}`,
            [...segments, field.name],
            depth + 1,
          );
        return;
      }
    }
  }
}

/**
 * Every problem that keeps `value` from being of the type `key` names in `types` (see
 * InterfaceTypes), each with its path; none for a valid value.
 */
export function reportIssues(
  types: InterfaceTypes,
  key: string,
  value: unknown,
  options: ReportOptions = {},
): ValidationIssue[] {
  const walk = new Walk(types, options);
  const type = types.get(key);
  walk.value(type, value, "", [], 1, key.includes(".") ? undefined : key);
  return walk.issues;
}
