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
export function assertValidReply(method: string, reply: unknown, validate: Validate): void {
  const issues = validate(reply);
  if (issues.length > 0) throw new ReplyValidationError(method, issues);
}

/**
 * Where a report records what it finds. Paths are built as `.field`, `[index]` and `["key"]`
 * suffixes of the parent's path; the leading dot of a top-level field is dropped here.
 */
export class IssueCollector {
  readonly found: ValidationIssue[] = [];

  /** `exact`: undeclared fields are problems too, as they are in calls a service receives. */
  constructor(readonly exact: boolean) {}

  /** The value at `path` is not of the `expected` type. */
  expected(path: string, expected: string, value: unknown): void {
    this.found.push({ path: path.startsWith(".") ? path.slice(1) : path, expected, got: describeValue(value) });
  }

  /** With `exact`, every field of `object` not in `declared` is a problem. */
  undeclared(object: Record<string, unknown>, declared: ReadonlySet<string>, path: string): void {
    if (!this.exact) return;
    for (const key in object) if (!declared.has(key)) this.expected(`${path}.${key}`, "no such field", object[key]);
  }
}

export type Check = (value: unknown, exact?: boolean) => boolean;
/** Records every problem in `value` at `path`; records nothing for a valid value. */
export type Report = (value: unknown, path: string, issues: IssueCollector) => void;
/** A type's exported validator: every problem with its path, none for a valid value. */
export type Validate = (value: unknown, exact?: boolean) => ValidationIssue[];

/** A type's `validate`: the cheap check first, the reporting pass only when it fails. */
export function validator(check: Check, report: Report): Validate {
  return (value, exact = false) => {
    if (check(value, exact)) return [];
    const issues = new IssueCollector(exact);
    report(value, "", issues);
    return issues.found;
  };
}

// The reports of primitive types, which generated reports call for fields and elements.
export const reportBool: Report = (value, path, issues) => {
  if (typeof value !== "boolean") issues.expected(path, "bool", value);
};
export const reportInt: Report = (value, path, issues) => {
  if (!isInt(value)) issues.expected(path, "int", value);
};
export const reportFloat: Report = (value, path, issues) => {
  if (!isFloat(value)) issues.expected(path, "float", value);
};
export const reportString: Report = (value, path, issues) => {
  if (typeof value !== "string") issues.expected(path, "string", value);
};
export const reportObject: Report = (value, path, issues) => {
  if (!isObject(value)) issues.expected(path, "object", value);
};
export const reportAny: Report = (value, path, issues) => {
  if (value === undefined || value === null) issues.expected(path, "any", value);
};

/** `[string]()`: an object whose values are `{}` (with `exact`) or any object. */
export const reportSet: Report = (value, path, issues) => {
  if (!isObject(value)) return issues.expected(path, "[string]()", value);
  for (const key of Object.keys(value)) {
    const member = value[key];
    if (issues.exact ? !isEmptyObject(member) : !isObject(member)) issues.expected(keyPath(path, key), "{}", member);
  }
};

// Containers: generated code passes the report of the element type, so a report of any
// nesting is one call per level.

/** `[]T`, shown as `expected` when `value` is no array. */
export function reportArray(value: unknown, path: string, issues: IssueCollector, expected: string, element: Report): void {
  if (!Array.isArray(value)) return issues.expected(path, expected, value);
  for (let i = 0; i < value.length; i++) element(value[i], `${path}[${i}]`, issues);
}

/** `[string]T`, shown as `expected` when `value` is no object. */
export function reportMap(value: unknown, path: string, issues: IssueCollector, expected: string, element: Report): void {
  if (!isObject(value)) return issues.expected(path, expected, value);
  for (const key of Object.keys(value)) element(value[key], keyPath(path, key), issues);
}

function keyPath(path: string, key: string): string {
  return `${path}[${JSON.stringify(key)}]`;
}
