import type { CheckOptions } from "./checks.js";
import type { ValidationIssue } from "./issues.js";
import type { InterfaceTypes } from "./interface-types.js";
import { reportIssues } from "./report.js";
import { maxNestingDepth, nestsDeeperThan } from "../protocol/json.js";

// A generated type as a value: its check, a validation that says what is wrong, and the
// Standard Schema interface (https://standardschema.dev), so the same object plugs into every
// library that takes zod or valibot schemas.

/** The Standard Schema v1 interface, as its specification asks libraries to copy it. */
export interface StandardSchemaV1<Input = unknown, Output = Input> {
  readonly "~standard": StandardSchemaV1Props<Input, Output>;
}

/** The `~standard` property of a Standard Schema v1. */
export interface StandardSchemaV1Props<Input = unknown, Output = Input> {
  readonly version: 1;
  readonly vendor: string;
  readonly validate: (value: unknown) => StandardSchemaV1Result<Output> | Promise<StandardSchemaV1Result<Output>>;
  readonly types?: { readonly input: Input; readonly output: Output } | undefined;
}

/** What a Standard Schema's validate gives: the value, or its issues. */
export type StandardSchemaV1Result<Output> =
  | { readonly value: Output; readonly issues?: undefined }
  | { readonly issues: ReadonlyArray<StandardSchemaV1Issue> };

/** One issue of a Standard Schema result: a message and where. */
export interface StandardSchemaV1Issue {
  readonly message: string;
  readonly path?: ReadonlyArray<PropertyKey | { readonly key: PropertyKey }> | undefined;
}

/** Narrows: on success `value` has the type, otherwise `issues` says what is wrong and where. */
export type ValidationResult<T> = { success: true; value: T } | { success: false; issues: ValidationIssue[] };

/** A generated type as a value: its check, a validation that says what is wrong, and the Standard Schema interface. */
export interface Schema<T> extends StandardSchemaV1<unknown, T> {
  /** The varlink name of the type. */
  readonly name: string;
  /** The generated check: cheap, and what every valid value costs. */
  is(value: unknown, options?: CheckOptions): value is T;
  /** The check, and for a value that fails it every problem with its path. */
  validate(value: unknown, options?: CheckOptions): ValidationResult<T>;
}

export type Check<T> = (value: unknown, options?: CheckOptions) => value is T;

/**
 * Runs `check`, and only when it fails reads the type from the description to report why. A
 * generated check recurses as deep as the value for a recursive type, so for those a value
 * nested past maxNestingDepth is refused before the check runs.
 */
export function validateWith<T>(
  check: Check<T>,
  types: InterfaceTypes,
  key: string,
  value: unknown,
  options?: CheckOptions,
): ValidationResult<T> {
  if (!(types.recursive(key) && nestsDeeperThan(value, maxNestingDepth)) && check(value, options))
    return { success: true, value };
  return { success: false, issues: reportIssues(types, key, value, options) };
}

/** The schema of the type `name` of an interface; generated modules make one per declared type. */
export function schema<T>(check: Check<T>, types: InterfaceTypes, name: string): Schema<T> {
  return {
    name,
    is: check,
    validate: (value, options) => validateWith(check, types, name, value, options),
    "~standard": {
      version: 1,
      vendor: "varlink-ts",
      validate: (value) => {
        const result = validateWith(check, types, name, value);
        return result.success
          ? { value: result.value }
          : { issues: result.issues.map((i) => ({ message: i.message, path: i.segments })) };
      },
    },
  };
}
