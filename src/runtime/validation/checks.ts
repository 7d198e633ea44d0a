// The primitives generated checks are built from. Each generated check is straight-line code
// for one type (`isCrate`): cheap, and the only code that runs for a valid value. Reports of what
// is wrong with an invalid value come from the interface's description (report.ts).

/**
 * varlink's `int` in TypeScript: a number that is an integer. A marker: it is `number` to the
 * compiler, and `varlink-ts derive` reads it (by name) as `int` where a bare `number` is `float`.
 */
export type Int = number;

/**
 * varlink's `float` in TypeScript: a number. A marker, as Int is: generated code writes it so
 * that `varlink-ts derive` reads `float` without the warning a bare `number` gets.
 */
export type Float = number;

/** Any JSON value: varlink's `any`. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
/** A JSON object: varlink's `object`. */
export type JsonObject = { [key: string]: JsonValue };
/** varlink's `any` where `int` is generated as bigint: integers beyond the safe range stay exact. */
export type LosslessJsonValue =
  | string
  | number
  | bigint
  | boolean
  | null
  | LosslessJsonValue[]
  | { [key: string]: LosslessJsonValue };
/** varlink's `object` where `int` is generated as bigint. */
export type LosslessJsonObject = { [key: string]: LosslessJsonValue };
/** varlink's `[string]T`: a JSON object whose every value is a T. */
export type StringMap<T> = { [key: string]: T };
/** varlink's `[string]()`: a set of strings in its JSON shape, each key mapped to `{}`. */
export type StringSet = { [key: string]: Record<string, never> };

/** How strictly a value is checked. */
export interface CheckOptions {
  /**
   * Refuse fields a struct does not declare, as a service must for the calls it receives.
   * Replies are checked without it: newer services may add fields.
   */
  exact?: boolean | undefined;
}

export const isArray: (value: unknown) => value is unknown[] = Array.isArray;

export function isInt(value: unknown): value is number {
  return typeof value === "number" && Number.isSafeInteger(value);
}

export function isFloat(value: unknown): value is number {
  return typeof value === "number" && Number.isFinite(value);
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

export function isEmptyObject(value: unknown): boolean {
  if (!isObject(value)) return false;
  for (const _ in value) return false;
  return true;
}

/** `[string]()`: an object whose values are `{}` (with `exact`) or any object. */
export function isStringSet(value: unknown, options?: CheckOptions): value is StringSet {
  if (!isObject(value)) return false;
  const exact = options?.exact === true;
  for (const key in value) if (!(exact ? isEmptyObject(value[key]) : isObject(value[key]))) return false;
  return true;
}

/** How many fields `value` has: with every declared field checked, more means an undeclared one. */
export function fieldCount(value: Record<string, unknown>): number {
  let count = 0;
  for (const _ in value) count++;
  return count;
}

/** 1 when an optional field is present, else 0: with fieldCount, how exact checks count fields. */
export function presence(value: unknown): 0 | 1 {
  return value === undefined ? 0 : 1;
}

/** A field's own value: for names like `constructor` an absent field must not read Object.prototype. */
export function ownField(object: Record<string, unknown>, key: string): unknown {
  return Object.hasOwn(object, key) ? object[key] : undefined;
}
