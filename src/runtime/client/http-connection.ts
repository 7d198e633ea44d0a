import { ConnectionError, NestingTooDeepError, ProtocolError } from "../protocol/errors.js";
import { errorFromReply } from "../service/error-replies.js";
import type { CallOptions, MessageParameters, VarlinkConnection } from "../protocol/call-types.js";
import { defaultMaxMessageSize, encodeJson } from "../protocol/encoding.js";
import { maxNestingDepth, parseJson } from "../protocol/json.js";
import { qualifiedMemberPattern } from "../model/names.js";
import { watchCall } from "../protocol/call-timer.js";
import { bodyText, fetchTransport, type HttpReply, type HttpTransport } from "./http-transport.js";
import { fdsRefusal } from "../fds/carry.js";
import { ReplyStream } from "./reply-stream.js";

// A varlink client over the HTTP bridge's simple mode (UAPI.20 "Transport: HTTP"): each call is
// a POST to <base>/call/METHOD (or <base>/call/SERVICE/METHOD), `more` replies stream as
// application/json-seq. Works with our bridge and with systemd's.

/** Which service of an HTTP bridge to call, with what token, and how the requests are sent. */
export interface HttpConnectionOptions {
  /** The bridge's name for the service; by default the bridge picks the one named after the method's interface. */
  service?: string;
  /** Sent as `Authorization: Bearer TOKEN`. */
  token?: string;
  /** Another fetch (a test double, a proxy-aware one). */
  fetch?: typeof fetch;
  /** How requests are sent; overrides `fetch`. */
  transport?: HttpTransport;
}

const recordSeparator = "\u001e";

/** Replies of a `more` call held unread before the response body stops being read. */
const streamHighWaterMark = 1024;

/** Calls through a UAPI.20 HTTP bridge, one request per call. */
export class HttpConnection implements VarlinkConnection {
  private readonly base: string;
  private readonly transport: HttpTransport;
  private closed = false;

  /** `base` is the bridge's URL up to its routes, e.g. `http://127.0.0.1:8080` or `/varlink`. */
  constructor(
    base: string,
    private readonly options: HttpConnectionOptions = {},
  ) {
    this.base = base.replace(/\/+$/, "");
    this.transport = options.transport ?? fetchTransport(options.fetch);
  }

  async call(method: string, parameters: object = {}, options: CallOptions = {}): Promise<MessageParameters> {
    const text = await this.request(method, parameters, options, {}, async (reply) => bodyText(reply.body));
    let reply: unknown;
    try {
      reply = parseJson(text);
    } catch {
      throw new ProtocolError(`the bridge's reply to ${method} is not JSON: ${text.slice(0, 100)}`);
    }
    if (typeof reply !== "object" || reply === null || Array.isArray(reply))
      throw new ProtocolError(`the bridge's reply to ${method} is not a JSON object`);
    return reply as MessageParameters;
  }

  more(method: string, parameters: object = {}, options: CallOptions = {}): AsyncIterableIterator<MessageParameters> {
    const abandon = new AbortController();
    // Replies nobody reads stop the reading of the response body (and so the bridge's stream).
    let backlog: { promise: Promise<void>; resolve: () => void } | undefined;
    const stream = new ReplyStream(
      streamHighWaterMark,
      (full) => {
        backlog?.resolve();
        backlog = undefined;
        if (!full) return;
        let resolve = (): void => {};
        const promise = new Promise<void>((r) => (resolve = r));
        backlog = { promise, resolve };
      },
      () => abandon.abort(),
    );
    const signal = options.signal ? AbortSignal.any([options.signal, abandon.signal]) : abandon.signal;
    const read = (reply: HttpReply): Promise<void> =>
      readSequence(
        reply.body,
        (value) => stream.push(value as MessageParameters),
        () => backlog?.promise,
      );
    void this.request(method, parameters, { ...options, signal }, { Accept: "application/json-seq" }, read).then(
      () => stream.end(),
      (error: Error) => stream.fail(error),
    );
    return stream;
  }

  async oneway(method: string, parameters: object = {}): Promise<void> {
    await this.request(method, parameters, {}, {}, async (reply) => void (await bodyText(reply.body)), true);
  }

  /** Ends every request still under way and lets go of kept-alive connections. */
  async close(): Promise<void> {
    this.closed = true;
    this.transport.close();
  }

  /** Sends the call and reads the reply with `read`, with the call's timeout and signal on both. */
  private async request<T>(
    method: string,
    parameters: object,
    options: CallOptions,
    headers: Record<string, string>,
    read: (reply: HttpReply) => Promise<T>,
    oneway = false,
  ): Promise<T> {
    const service = this.options.service;
    const path =
      service !== undefined
        ? `${encodeURIComponent(service)}/${encodeURIComponent(method)}`
        : encodeURIComponent(method);
    const url = `${this.base}/call/${path}${oneway ? "?oneway=true" : ""}`;
    if (this.closed) throw new ConnectionError("the client was closed");
    const refusal = fdsRefusal(options, "a connection through the HTTP bridge");
    if (refusal !== undefined) throw refusal;
    const controller =
      options.signal !== undefined || options.timeout !== undefined ? new AbortController() : undefined;
    const stopWatching = controller !== undefined ? watchCall(options, (error) => controller.abort(error)) : undefined;
    try {
      const reply = await this.transport.send({
        url,
        headers: {
          "Content-Type": "application/json",
          Accept: "application/json",
          ...headers,
          ...(this.options.token !== undefined ? { Authorization: `Bearer ${this.options.token}` } : {}),
        },
        // As the bridge will send it: inside a message, one level deeper.
        body: encodeJson(parameters, defaultMaxMessageSize, maxNestingDepth - 1),
        signal: controller?.signal,
      });
      if (reply.status < 200 || reply.status > 299)
        throw errorFrom(reply.status, await bodyText(reply.body).catch(() => ""));
      return await read(reply);
    } catch (error) {
      if (controller?.signal.aborted && controller.signal.reason instanceof Error) throw controller.signal.reason;
      if (this.closed) throw new ConnectionError("the client was closed", { cause: error });
      if (
        error instanceof Error &&
        !(error instanceof ConnectionError) &&
        (error.name === "TypeError" || "code" in error)
      ) {
        throw new ConnectionError(`${url}: ${error.message}`, { cause: error });
      }
      throw error;
    } finally {
      stopWatching?.();
    }
  }
}

/**
 * A failed request: the varlink error the bridge passes on ({"error", "parameters"}), or what
 * went wrong at the bridge ({"message"}, or the status alone).
 */
function errorFrom(status: number, text: string): Error {
  let body: { error?: unknown; parameters?: unknown; message?: unknown } | undefined;
  try {
    body = parseJson(text) as typeof body;
  } catch {
    body = undefined;
  }
  if (typeof body?.error === "string" && qualifiedMemberPattern.test(body.error)) {
    return errorFromReply(
      body.error,
      (typeof body.parameters === "object" && body.parameters !== null ? body.parameters : {}) as MessageParameters,
    );
  }
  const said =
    typeof body?.message === "string"
      ? body.message
      : typeof body?.error === "string"
        ? body.error
        : text.trim().slice(0, 200);
  return new ConnectionError(`the bridge answered HTTP ${status}${said ? `: ${said}` : ""}`);
}

/**
 * Reads RFC 7464 records (RS, JSON, LF) as they arrive: a record is delivered when its LF does,
 * not when the next record's RS does (a watch's latest event must show when it happens). An LF
 * inside a pretty-printed text ends nothing: a record is taken once what came so far parses.
 * An error record ends the stream with it.
 */
async function readSequence(
  body: AsyncIterable<Uint8Array>,
  onValue: (value: unknown) => void,
  backlog: () => Promise<void> | undefined,
): Promise<void> {
  const decoder = new TextDecoder();
  let buffered = "";
  type SequenceRecord = { error?: unknown; parameters?: unknown };
  /** The record's value; with `unfinished`, undefined for text that is not JSON (yet). */
  const parse = (record: string, unfinished = false): SequenceRecord | undefined => {
    try {
      return parseJson(record) as SequenceRecord;
    } catch (error) {
      if (error instanceof NestingTooDeepError)
        throw new ProtocolError(`the bridge sent a record nested deeper than ${error.limit} levels`);
      if (unfinished) return undefined;
      throw new ProtocolError(`the bridge sent a record that is not JSON: ${record.slice(0, 100)}`);
    }
  };
  const deliver = (value: SequenceRecord): void => {
    if (typeof value.error === "string" && Object.keys(value).every((k) => k === "error" || k === "parameters")) {
      // An error reply ends the stream; {"error": MESSAGE} says the service failed on the way.
      if (qualifiedMemberPattern.test(value.error))
        throw errorFromReply(value.error, (value.parameters ?? {}) as MessageParameters);
      throw new ConnectionError(`the stream broke off: ${value.error}`);
    }
    onValue(value);
  };
  const take = (record: string): void => {
    if (record.trim() !== "") deliver(parse(record)!);
  };
  /** The record after the last RS, once its LF has come, if it is whole by then. */
  const takeFinished = (): void => {
    if (!buffered.endsWith("\n") || buffered.trim() === "") return;
    const value = parse(buffered, true);
    if (value === undefined) return;
    buffered = "";
    deliver(value);
  };
  for await (const chunk of body) {
    buffered += decoder.decode(chunk, { stream: true });
    const records = buffered.split(recordSeparator);
    buffered = records.pop()!;
    for (const record of records) take(record);
    takeFinished();
    // The next chunk is pulled only once the replies taken so far are being read.
    await backlog();
  }
  take(buffered + decoder.decode());
}
