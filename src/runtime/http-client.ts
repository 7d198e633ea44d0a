import type { CallOptions } from "./client.js";
import type { VarlinkConnection } from "./connection.js";
import { watchCall } from "./call-timer.js";
import { ConnectionError, ErrorRegistry, ProtocolError, type ErrorFactory, type Parameters } from "./errors.js";
import { ReplyStream } from "./reply-stream.js";

// A varlink client over the HTTP bridge's simple mode (UAPI.20 "Transport: HTTP"): each call is
// a POST to <base>/call/METHOD, `more` replies stream as application/json-seq. Uses fetch, so
// it runs in Node and in browsers alike.

export interface HttpClientOptions {
  /** The bridge's name for the service (`?service=`); needed when it bridges several. */
  service?: string;
  /** Sent as `Authorization: Bearer TOKEN`. */
  token?: string;
  /** Another fetch (a test double, a proxy-aware one). */
  fetch?: typeof fetch;
}

const recordSeparator = "\u001e";

export class HttpClient implements VarlinkConnection {
  private readonly errors = new ErrorRegistry();
  private readonly base: string;
  private readonly fetch: typeof fetch;
  private readonly closing = new AbortController();

  /** `base` is the bridge's URL up to its routes, e.g. `http://127.0.0.1:8080` or `/varlink`. */
  constructor(
    base: string,
    private readonly options: HttpClientOptions = {},
  ) {
    this.base = base.replace(/\/+$/, "");
    this.fetch = options.fetch ?? globalThis.fetch.bind(globalThis);
  }

  registerError(name: string, factory: ErrorFactory): this {
    this.errors.register(name, factory);
    return this;
  }

  async call<T = Parameters>(method: string, parameters: object = {}, options: CallOptions = {}): Promise<T> {
    const response = await this.post(method, parameters, options, {});
    return (await response.json()) as T;
  }

  more<T = Parameters>(method: string, parameters: object = {}, options: CallOptions = {}): AsyncIterableIterator<T> {
    const abandon = new AbortController();
    const stream = new ReplyStream(Number.POSITIVE_INFINITY, () => {}, () => abandon.abort());
    const signal = options.signal ? AbortSignal.any([options.signal, abandon.signal]) : abandon.signal;
    void this.post(method, parameters, { ...options, signal }, { Accept: "application/json-seq" })
      .then((response) => readSequence(response, (value) => stream.push(value as Parameters), this.errors))
      .then(
        () => stream.end(),
        (error: Error) => stream.fail(error),
      );
    return stream as unknown as AsyncIterableIterator<T>;
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
        body: JSON.stringify(parameters),
        signal,
      });
      if (!response.ok) throw await errorFrom(response, this.errors);
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
async function errorFrom(response: Response, errors: ErrorRegistry): Promise<Error> {
  const text = await response.text().catch(() => "");
  let body: { error?: unknown; parameters?: unknown } | undefined;
  try {
    body = JSON.parse(text) as typeof body;
  } catch {
    body = undefined;
  }
  if (typeof body?.error === "string" && response.status !== 502) {
    return errors.create(body.error, (body.parameters ?? {}) as Parameters);
  }
  return new ConnectionError(`the bridge answered HTTP ${response.status}${text ? `: ${text.slice(0, 200)}` : ""}`);
}

/** Reads RFC 7464 records (RS, JSON, LF) as they arrive; an error record ends the stream with it. */
async function readSequence(response: Response, onValue: (value: unknown) => void, errors: ErrorRegistry): Promise<void> {
  if (response.body === null) return;
  const decoder = new TextDecoder();
  let buffered = "";
  const reader = response.body.getReader();
  const take = (record: string): void => {
    if (record.trim() === "") return;
    let value: { error?: unknown; parameters?: unknown };
    try {
      value = JSON.parse(record) as typeof value;
    } catch {
      throw new ProtocolError(`the bridge sent a record that is not JSON: ${record.slice(0, 100)}`);
    }
    if (typeof value.error === "string" && Object.keys(value).every((k) => k === "error" || k === "parameters")) {
      throw errors.create(value.error, (value.parameters ?? {}) as Parameters);
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
