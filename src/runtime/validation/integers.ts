import { isObject, ownField } from "./checks.js";
import { describeValue, formatIssue, type ValidationIssue } from "./issues.js";
import type { InterfaceTypes, TypeDescription } from "./interface-types.js";
import { maxNestingDepth } from "../protocol/json.js";

// Integers as their type says. The wire has one kind of number; parseJson keeps an integer
// beyond the safe range as a bigint whatever field it is in. Along the type:
// - where `int` is a number (the default), a bigint is an error, never rounded; in `object` and
//   `any` too, where nothing says it may be rounded. A `float` takes it as the number it is.
// - where `int` is a bigint (the generator's `integers: "bigint"`), every int becomes a bigint,
//   floats stay numbers, and `object` and `any` keep what parseJson made.
// Values are converted in place: they are freshly parsed messages.

export type IntegerMode = "number" | "bigint";

class Conversion {
  readonly issues: ValidationIssue[] = [];

  constructor(
    private readonly types: InterfaceTypes,
    private readonly mode: IntegerMode,
  ) {}

  private refuse(path: string, segments: Array<string | number>, expected: string, value: unknown): void {
    const found = { path: path.startsWith(".") ? path.slice(1) : path, segments, expected, got: describeValue(value) };
    this.issues.push({ ...found, message: formatIssue(found) });
  }

  /**
   * The value converted for `type`; reports a bigint that the number mode cannot hold. `depth`
   * counts the objects and arrays around the value: past maxNestingDepth nothing is converted.
   */
  value(type: TypeDescription, value: unknown, path: string, segments: Array<string | number>, depth: number): unknown {
    if (depth > maxNestingDepth && typeof value === "object" && value !== null) {
      this.refuse(path, segments, `at most ${maxNestingDepth} levels of nesting`, value);
      return value;
    }
    switch (type.kind) {
      case "int":
        if (this.mode === "bigint" && typeof value === "number" && Number.isSafeInteger(value)) return BigInt(value);
        if (this.mode === "number" && typeof value === "bigint") this.refuse(path, segments, "int", value);
        return value;
      case "float":
        return typeof value === "bigint" ? Number(value) : value;
      case "object":
      case "any":
        if (this.mode === "number") this.findBigints(value, path, segments, type.kind, depth);
        return value;
      case "named":
        return this.value(this.types.get(type.name), value, path, segments, depth);
      case "nullable":
        return value === null || value === undefined ? value : this.value(type.inner, value, path, segments, depth);
      case "array":
        if (Array.isArray(value))
          for (let i = 0; i < value.length; i++)
            value[i] = this.value(type.element, value[i], `${path}[${i}]`, [...segments, i], depth + 1);
        return value;
      case "map":
        if (isObject(value))
          for (const key of Object.keys(value))
            value[key] = this.value(
              type.value,
              value[key],
              `${path}[${JSON.stringify(key)}]`,
              [...segments, key],
              depth + 1,
            );
        return value;
      case "struct":
        if (isObject(value)) {
          for (const field of type.fields) {
            const current = ownField(value, field.name);
            if (current === undefined) continue;
            const converted = this.value(
              field.type,
              current,
              `${path}.${field.name}`,
              [...segments, field.name],
              depth + 1,
            );
            if (converted !== current) value[field.name] = converted;
          }
        }
        return value;
      default:
        return value;
    }
  }

  /** Inside `object` and `any` nothing says what a number is: a bigint there cannot become one. */
  private findBigints(
    value: unknown,
    path: string,
    segments: Array<string | number>,
    kind: string,
    depth: number,
  ): void {
    if (typeof value === "bigint")
      return this.refuse(path, segments, `${kind} (numbers within the safe integer range)`, value);
    if (typeof value !== "object" || value === null) return;
    if (depth > maxNestingDepth)
      return this.refuse(path, segments, `at most ${maxNestingDepth} levels of nesting`, value);
    if (Array.isArray(value))
      value.forEach((item, i) => {
        this.findBigints(item, `${path}[${i}]`, [...segments, i], kind, depth + 1);
      });
    else
      for (const key of Object.keys(value))
        this.findBigints(
          (value as Record<string, unknown>)[key],
          `${path}[${JSON.stringify(key)}]`,
          [...segments, key],
          kind,
          depth + 1,
        );
  }
}

/**
 * Converts the integers of `value` (of the type `key` names) for `mode`, in place. Returns the
 * converted value and, in number mode, the places of integers it cannot hold exactly.
 */
export function convertIntegers(
  types: InterfaceTypes,
  key: string,
  value: unknown,
  mode: IntegerMode,
): { value: unknown; issues: ValidationIssue[] } {
  const conversion = new Conversion(types, mode);
  const converted = conversion.value(types.get(key), value, "", [], 1);
  return { value: converted, issues: conversion.issues };
}
