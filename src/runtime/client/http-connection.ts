import { ConnectionError, errorFromReply, ProtocolError } from "../errors.js";
import type { CallOptions, Parameters, VarlinkConnection } from "../protocol/call-types.js";
import { parseJson, stringifyJson } from "../protocol/json.js";
import { watchCall } from "./call-timer.js";
import { ReplyStream } from "./reply-stream.js";

// A varlink client over the HTTP bridge's simple mode (UAPI.20 "Transport: HTTP"): each call is
// a POST to <base>/call/METHOD, `more` replies stream as application/json-seq. Uses fetch, so
// it runs in Node and in browsers alike.

export interface HttpConnectionOptions {
  /** The bridge's name for the service (`?service=`); needed when it bridges several. */
  service?: string;
  /** Sent as `Authorization: Bearer TOKEN`. */
  token?: string;
  /** Another fetch (a test double, a proxy-aware one). */
  fetch?: typeof fetch;
}

const recordSeparator = "\u001e";

/** Calls through a UAPI.20 HTTP bridge, one request per call. */
export class HttpConnection implements VarlinkConnection {
  private readonly base: string;
  private readonly fetch: typeof fetch;
  private readonly closing = new AbortController();

  /** `base` is the bridge's URL up to its routes, e.g. `http://127.0.0.1:8080` or `/varlink`. */
  constructor(
    base: string,
    private readonly options: HttpConnectionOptions = {},
  ) {
    this.base = base.replace(/\/+$/, "");
    this.fetch = options.fetch ?? globalThis.fetch.bind(globalThis);
  }

  async call(method: string, parameters: object = {}, options: CallOptions = {}): Promise<Parameters> {
    const response = await this.post(method, parameters, options, {});
    const text = await response.text();
    let reply: unknown;
    try {
      reply = parseJson(text);
    } catch {
      throw new ProtocolError(`the bridge's reply to ${method} is not JSON: ${text.slice(0, 100)}`);
    }
    if (typeof reply !== "object" || reply === null || Array.isArray(reply)) throw new ProtocolError(`the bridge's reply to ${method} is not a JSON object`);
    return reply as Parameters;
  }

  more(method: string, parameters: object = {}, options: CallOptions = {}): AsyncIterableIterator<Parameters> {
    const abandon = new AbortController();
    const stream = new ReplyStream(Number.POSITIVE_INFINITY, () => {}, () => abandon.abort());
    const signal = options.signal ? AbortSignal.any([options.signal, abandon.signal]) : abandon.signal;
    void this.post(method, parameters, { ...options, signal }, { Accept: "application/json-seq" })
      .then((response) => readSequence(response, (value) => stream.push(value as Parameters)))
      .then(
        () => stream.end(),
        (error: Error) => stream.fail(error),
      );
    return stream;
  }

  async oneway(method: string, parameters: object = {}): Promise<void> {
    await this.post(method, parameters, {}, {}, true);
  }

  /** Aborts every request still under way. */
  async close(): Promise<void> {
    this.closing.abort(new ConnectionError("the client was closed"));
  }

  private async post(method: string, parameters: object, options: CallOptions, headers: Record<string, string>, oneway = false): Promise<Response> {
    const query = new URLSearchParams();
    if (this.options.service !== undefined) query.set("service", this.options.service);
    if (oneway) query.set("oneway", "true");
    const url = `${this.base}/call/${encodeURIComponent(method)}${query.size > 0 ? `?${query}` : ""}`;
    const controller = new AbortController();
    const stopWatching = watchCall(options, (error) => controller.abort(error));
    const signal = AbortSignal.any([controller.signal, this.closing.signal]);
    try {
      const response = await this.fetch(url, {
        method: "POST",
        headers: { "Content-Type": "application/json", ...headers, ...(this.options.token !== undefined ? { Authorization: `Bearer ${this.options.token}` } : {}) },
        body: stringifyJson(parameters),
        signal,
      });
      if (!response.ok) throw await errorFrom(response);
      return response;
    } catch (error) {
      if (signal.aborted && signal.reason instanceof Error) throw signal.reason;
      if (error instanceof Error && !(error instanceof ConnectionError) && error.name === "TypeError") {
        throw new ConnectionError(`${url}: ${error.message}`, { cause: error });
      }
      throw error;
    } finally {
      stopWatching();
    }
  }
}

/** A failed request: the varlink error the bridge sends back, or what HTTP says. */
async function errorFrom(response: Response): Promise<Error> {
  const text = await response.text().catch(() => "");
  let body: { error?: unknown; parameters?: unknown } | undefined;
  try {
    body = parseJson(text) as typeof body;
  } catch {
    body = undefined;
  }
  if (typeof body?.error === "string" && response.status !== 502) {
    return errorFromReply(body.error, (body.parameters ?? {}) as Parameters);
  }
  return new ConnectionError(`the bridge answered HTTP ${response.status}${text ? `: ${text.slice(0, 200)}` : ""}`);
}

/** Reads RFC 7464 records (RS, JSON, LF) as they arrive; an error record ends the stream with it. */
async function readSequence(response: Response, onValue: (value: unknown) => void): Promise<void> {
  if (response.body === null) return;
  const decoder = new TextDecoder();
  let buffered = "";
  const reader = response.body.getReader();
  const take = (record: string): void => {
    if (record.trim() === "") return;
    let value: { error?: unknown; parameters?: unknown };
    try {
      value = parseJson(record) as typeof value;
    } catch {
      throw new ProtocolError(`the bridge sent a record that is not JSON: ${record.slice(0, 100)}`);
    }
    if (typeof value.error === "string" && Object.keys(value).every((k) => k === "error" || k === "parameters")) {
      throw errorFromReply(value.error, (value.parameters ?? {}) as Parameters);
    }
    onValue(value);
  };
  for (;;) {
    const { done, value } = await reader.read();
    buffered += decoder.decode(value, { stream: !done });
    const records = buffered.split(recordSeparator);
    buffered = done ? "" : records.pop()!;
    for (const record of records) take(record);
    if (done) return;
  }
}
