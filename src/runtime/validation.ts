// The primitives generated validators are built from. Each generated validator is straight-line
// code for one type: a cheap boolean check first, and only when it fails a second pass that
// reports the path of every bad value.

/** Any JSON value: varlink's `any`. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
/** A JSON object: varlink's `object`. */
export type JsonObject = { [key: string]: JsonValue };
/** varlink's `[string]()`: a set of strings in its JSON shape, each key mapped to `{}`. */
export type StringSet = { [key: string]: Record<string, never> };

export interface ValidationIssue {
  /** Where the bad value is: `configuration.speed`, `crew[2].name`, `skills["deck 4"]`. */
  path: string;
  /** The varlink type expected there, or what was wrong. */
  expected: string;
  /** A short description of the value found. */
  got: string;
}

export function formatIssue(issue: ValidationIssue): string {
  return `${issue.path === "" ? "(parameters)" : issue.path}: expected ${issue.expected}, got ${issue.got}`;
}

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

/** A field's own value: for names like `constructor` an absent field must not read Object.prototype. */
export function ownField(object: Record<string, unknown>, key: string): unknown {
  return Object.prototype.hasOwnProperty.call(object, key) ? object[key] : undefined;
}

export function fieldPath(path: string, field: string): string {
  return path === "" ? field : `${path}.${field}`;
}

export function indexPath(path: string, index: number): string {
  return `${path}[${index}]`;
}

export function keyPath(path: string, key: string): string {
  return `${path}[${JSON.stringify(key)}]`;
}

/** How a value is shown in an issue: short, and never the whole of a large value. */
export function describeValue(value: unknown): string {
  if (value === undefined) return "nothing";
  if (value === null) return "null";
  if (Array.isArray(value)) return `an array of ${value.length}`;
  if (typeof value === "object") return "an object";
  if (typeof value === "function" || typeof value === "symbol" || typeof value === "bigint") return `a ${typeof value}`;
  if (typeof value === "number" && !Number.isSafeInteger(value) && Number.isInteger(value)) return `${value} (beyond the safe integer range)`;
  const text = JSON.stringify(value);
  return text.length > 40 ? `${text.slice(0, 37)}...` : text;
}

/** Records the undeclared fields of `object` as issues. */
export function reportExtraKeys(object: Record<string, unknown>, keys: ReadonlySet<string>, path: string, issues: ValidationIssue[]): void {
  for (const key in object) {
    if (!keys.has(key)) issues.push({ path: fieldPath(path, key), expected: "no such field", got: describeValue(object[key]) });
  }
}

/** A reply that does not match its declared type, when the client validates replies. */
export class ReplyValidationError extends Error {
  constructor(
    readonly method: string,
    readonly issues: ValidationIssue[],
  ) {
    super(`the reply to ${method} does not match its type: ${issues.map(formatIssue).join("; ")}`);
    this.name = "ReplyValidationError";
  }
}

/** Throws ReplyValidationError when `validate` finds problems in a reply. */
export function assertValidReply(method: string, reply: unknown, validate: (value: unknown) => ValidationIssue[]): void {
  const issues = validate(reply);
  if (issues.length > 0) throw new ReplyValidationError(method, issues);
}

/** Records that the value at `path` is not of the `expected` type. */
export function expectType(issues: ValidationIssue[], path: string, expected: string, value: unknown): void {
  issues.push({ path, expected, got: describeValue(value) });
}

export type Check = (value: unknown, exact?: boolean) => boolean;
export type Report = (value: unknown, path: string, issues: ValidationIssue[], exact: boolean) => void;

/** A type's `validate`: the cheap check first, the reporting pass only when it fails. */
export function validator(check: Check, report: Report): (value: unknown, exact?: boolean) => ValidationIssue[] {
  return (value, exact = false) => {
    if (check(value, exact)) return [];
    const issues: ValidationIssue[] = [];
    report(value, "", issues, exact);
    return issues;
  };
}

// One call per field of a primitive type in generated reports: check, and record if wrong.
export function expectBool(issues: ValidationIssue[], path: string, value: unknown): void {
  if (typeof value !== "boolean") expectType(issues, path, "bool", value);
}
export function expectInt(issues: ValidationIssue[], path: string, value: unknown): void {
  if (!isInt(value)) expectType(issues, path, "int", value);
}
export function expectFloat(issues: ValidationIssue[], path: string, value: unknown): void {
  if (!isFloat(value)) expectType(issues, path, "float", value);
}
export function expectString(issues: ValidationIssue[], path: string, value: unknown): void {
  if (typeof value !== "string") expectType(issues, path, "string", value);
}
export function expectObject(issues: ValidationIssue[], path: string, value: unknown): void {
  if (!isObject(value)) expectType(issues, path, "object", value);
}
export function expectAny(issues: ValidationIssue[], path: string, value: unknown): void {
  if (value === undefined || value === null) expectType(issues, path, "any", value);
}
