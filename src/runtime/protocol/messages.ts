import type { MessageParameters } from "./call-types.js";

/** A call as it travels: at most one of the three flags is set. */
export interface CallMessage {
  method: string;
  parameters?: MessageParameters;
  oneway?: boolean;
  more?: boolean;
  upgrade?: boolean;
  /** Vendor-prefixed header keys (`"org.example": ...`) are passed through untouched. */
  [vendorKey: string]: unknown;
}

export interface ReplyMessage {
  parameters?: MessageParameters;
  continues?: boolean;
  error?: string;
  [vendorKey: string]: unknown;
}

const callKeys = new Set(["method", "parameters", "oneway", "more", "upgrade"]);
const replyKeys = new Set(["parameters", "continues", "error"]);

/** A header key that is neither ours nor vendor-prefixed (`org.example...`) breaks the protocol. */
function unknownKey(message: Record<string, unknown>, known: Set<string>): string | undefined {
  for (const key in message) if (!known.has(key) && !key.includes(".")) return key;
  return undefined;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

export type Checked<T> = { ok: true; value: T } | { ok: false; reason: string };

/** Checks an incoming call; a failure means the connection must be closed. */
export function checkCall(message: unknown): Checked<CallMessage & { parameters: MessageParameters }> {
  if (!isObject(message)) return { ok: false, reason: "a call must be a JSON object" };
  const method = message["method"];
  if (typeof method !== "string" || method === "") return { ok: false, reason: "a call needs a 'method' string" };
  const parameters = message["parameters"];
  if (parameters !== undefined && parameters !== null && !isObject(parameters)) {
    return { ok: false, reason: "'parameters' must be an object" };
  }
  let flags = 0;
  for (const flag of ["oneway", "more", "upgrade"] as const) {
    const value = message[flag];
    if (value === undefined || value === null) continue;
    if (typeof value !== "boolean") return { ok: false, reason: `'${flag}' must be a boolean` };
    if (value) flags++;
  }
  if (flags > 1) return { ok: false, reason: "at most one of 'oneway', 'more' and 'upgrade' may be set" };
  const bad = unknownKey(message, callKeys);
  if (bad !== undefined)
    return { ok: false, reason: `unknown header key '${bad}' (other keys must be vendor-prefixed)` };
  const value = message as CallMessage & { parameters: MessageParameters };
  if (!isObject(parameters)) value.parameters = {};
  return { ok: true, value };
}

/** Checks an incoming reply; a failure means the connection must be closed. */
export function checkReply(message: unknown): Checked<ReplyMessage & { parameters: MessageParameters }> {
  if (!isObject(message)) return { ok: false, reason: "a reply must be a JSON object" };
  const parameters = message["parameters"];
  if (parameters !== undefined && parameters !== null && !isObject(parameters)) {
    return { ok: false, reason: "'parameters' must be an object" };
  }
  const error = message["error"];
  if (error !== undefined && error !== null && typeof error !== "string")
    return { ok: false, reason: "'error' must be a string" };
  const continues = message["continues"];
  if (continues !== undefined && continues !== null && typeof continues !== "boolean") {
    return { ok: false, reason: "'continues' must be a boolean" };
  }
  const bad = unknownKey(message, replyKeys);
  if (bad !== undefined)
    return { ok: false, reason: `unknown header key '${bad}' (other keys must be vendor-prefixed)` };
  const value = message as ReplyMessage & { parameters: MessageParameters };
  if (!isObject(parameters)) value.parameters = {};
  return { ok: true, value };
}

/** The call to send: empty parameters are left out, as senders should. */
export function buildCall(
  method: string,
  parameters: MessageParameters | undefined,
  flag?: "oneway" | "more" | "upgrade",
): CallMessage {
  const call: CallMessage = { method };
  if (parameters !== undefined && hasKeys(parameters)) call.parameters = parameters;
  if (flag !== undefined) call[flag] = true;
  return call;
}

function hasKeys(object: object): boolean {
  for (const _ in object) return true;
  return false;
}

/** The interface part of a fully qualified method or error name. */
export function interfaceOf(qualifiedName: string): string {
  const dot = qualifiedName.lastIndexOf(".");
  return dot > 0 ? qualifiedName.slice(0, dot) : "";
}

export function memberOf(qualifiedName: string): string {
  return qualifiedName.slice(qualifiedName.lastIndexOf(".") + 1);
}
