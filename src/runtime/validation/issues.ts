// What validation reports, and the errors that carry such reports.

/** One problem of a value that failed its check: where, what was expected, what was found. */
export interface ValidationIssue {
  /** Where the bad value is: `configuration.speed`, `crew[2].name`, `skills["deck 4"]`; "" for the value itself. */
  path: string;
  /** The same place as keys and indexes, as Standard Schema and form libraries take it. */
  segments: Array<string | number>;
  /** The varlink type expected there, or what was wrong. */
  expected: string;
  /** A short description of the value found. */
  got: string;
  /** `path: expected T, got V`. */
  message: string;
}

export function formatIssue(issue: Pick<ValidationIssue, "path" | "expected" | "got">): string {
  return `${issue.path === "" ? "(parameters)" : issue.path}: expected ${issue.expected}, got ${issue.got}`;
}

/** How a value is shown in an issue: short, and never the whole of a large value. */
export function describeValue(value: unknown): string {
  if (value === undefined) return "nothing";
  if (value === null) return "null";
  if (Array.isArray(value)) return `an array of ${value.length}`;
  if (typeof value === "object") return "an object";
  if (typeof value === "bigint") return `${value} (beyond the safe integer range)`;
  if (typeof value === "function" || typeof value === "symbol") return `a ${typeof value}`;
  if (typeof value === "number" && !Number.isSafeInteger(value) && Number.isInteger(value))
    return `${value} (beyond the safe integer range)`;
  const text = JSON.stringify(value);
  return text.length > 40 ? `${text.slice(0, 37)}...` : text;
}

/**
 * A reply that does not match its declared type: found when the client validates replies, and
 * always for an integer beyond the safe range where the client reads `int` as number.
 */
export class ReplyValidationError extends Error {
  constructor(
    readonly method: string,
    readonly issues: ValidationIssue[],
  ) {
    super(`the reply to ${method} does not match its type: ${issues.map((i) => i.message).join("; ")}`);
    this.name = "ReplyValidationError";
  }
}
