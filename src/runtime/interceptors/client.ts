import { watchCall } from "../protocol/call-timer.js";
import type { CallOptions, MessageParameters, UpgradedStream, VarlinkConnection } from "../protocol/call-types.js";

// Client interceptors, as connect-es has them: each wraps the next, the first given the
// outermost. They see every call a connection makes, whatever carries it, because they wrap
// the connection itself: a SocketConnection, a WebSocket, HTTP requests, in Node or a browser.

/** How a call is made: one reply, a stream of them (`more`), none (`oneway`), or a protocol switch (`upgrade`). */
export type CallKind = "call" | "more" | "oneway" | "upgrade";

/** A call on its way out. An interceptor may pass `next` another one, with other parameters or options. */
export interface ClientCall {
  /** The fully qualified method, `org.example.ftl.Jump`. */
  readonly method: string;
  /** Which of the connection's calls was made; an interceptor cannot change it. */
  readonly kind: CallKind;
  /** As they will be encoded (integers beyond 2^53 as bigints). */
  readonly parameters: MessageParameters;
  /** The caller's signal and timeout (a oneway call has neither). */
  readonly options: CallOptions;
}

/**
 * What `next` gives back, by the call's kind: `call` → its reply; `more` → its replies, as they
 * come (iterating them is what reads them; leaving the loop early ends the call); `oneway` →
 * `sent`, once the call is written; `upgrade` → the reply and the raw stream. Error replies and
 * failures reject `next` (for `more`: fail the iteration) as they would the caller.
 */
export type ClientOutcome =
  | { readonly kind: "reply"; readonly parameters: MessageParameters }
  | { readonly kind: "stream"; readonly replies: AsyncIterable<MessageParameters> }
  | { readonly kind: "sent" }
  | { readonly kind: "upgraded"; readonly parameters: MessageParameters; readonly stream: UpgradedStream };

/** The rest of the chain, ending in the connection. */
export type ClientNext = (call: ClientCall) => Promise<ClientOutcome>;

/** Wraps the rest of the chain: `(next) => async (call) => { …; return next(call); }`. */
export type ClientInterceptor = (next: ClientNext) => ClientNext;

const expected = { call: "reply", more: "stream", oneway: "sent", upgrade: "upgraded" } as const;

type OutcomeOf<K extends CallKind> = Extract<ClientOutcome, { kind: (typeof expected)[K] }>;

/** What the chain gave for a call of `kind`, if it is of the kind that call needs. */
function expectOutcome<K extends CallKind>(method: string, kind: K, outcome: ClientOutcome): OutcomeOf<K> {
  if (outcome?.kind !== expected[kind]) {
    throw new TypeError(
      `an interceptor answered the ${kind} of ${method} with ${JSON.stringify(outcome?.kind)}, not "${expected[kind]}"`,
    );
  }
  return outcome as OutcomeOf<K>;
}

/** The options of a call made without any: shared, and not passed on, so that the connection sets no watch. */
const noOptions: CallOptions = Object.freeze({});
const given = (options: CallOptions): CallOptions | undefined => (options === noOptions ? undefined : options);

const replyOutcome = (parameters: MessageParameters): ClientOutcome => ({ kind: "reply", parameters });
const sentOutcome = (): ClientOutcome => ({ kind: "sent" });

/** The end of every chain: the connection making the call. Plain promise chains, since this runs for every call. */
function send(connection: VarlinkConnection): ClientNext {
  return (call) => {
    const options = given(call.options);
    switch (call.kind) {
      case "call":
        return connection.call(call.method, call.parameters, options).then(replyOutcome);
      case "more":
        return Promise.resolve({ kind: "stream", replies: connection.more(call.method, call.parameters, options) });
      case "oneway":
        return connection.oneway(call.method, call.parameters).then(sentOutcome);
      case "upgrade":
        if (connection.upgrade === undefined)
          return Promise.reject(new TypeError("this connection cannot carry 'upgrade'"));
        return connection
          .upgrade(call.method, call.parameters, options)
          .then(({ parameters, stream }) => ({ kind: "upgraded", parameters, stream }));
    }
  };
}

/** `next` wrapped in `interceptors`, the first outermost. */
export function chainClient(interceptors: readonly ClientInterceptor[], next: ClientNext): ClientNext {
  return interceptors.reduceRight((inner, interceptor) => interceptor(inner), next);
}

/**
 * `connection` with `interceptors` around every call made on it. Closing the result closes the
 * connection. Without interceptors, the connection itself is returned.
 */
export function intercept(
  connection: VarlinkConnection,
  interceptors: readonly ClientInterceptor[] | undefined,
): VarlinkConnection {
  if (interceptors === undefined || interceptors.length === 0) return connection;
  const run = chainClient(interceptors, send(connection));
  const start = (
    method: string,
    kind: CallKind,
    parameters: object | undefined,
    options: CallOptions | undefined,
  ): Promise<ClientOutcome> =>
    runBounded(run, {
      method,
      kind,
      parameters: (parameters ?? {}) as MessageParameters,
      options: options ?? noOptions,
    });
  const intercepted: VarlinkConnection = {
    call: (method, parameters, options) =>
      start(method, "call", parameters, options).then((outcome) => expectOutcome(method, "call", outcome).parameters),
    more: (method, parameters, options) =>
      new StartingStream(
        start(method, "more", parameters, options).then((outcome) => expectOutcome(method, "more", outcome).replies),
      ),
    oneway: (method, parameters) =>
      start(method, "oneway", parameters, undefined).then((outcome) => void expectOutcome(method, "oneway", outcome)),
    close: () => connection.close(),
  };
  if (connection.upgrade !== undefined) {
    intercepted.upgrade = (method, parameters, options) =>
      start(method, "upgrade", parameters, options).then((outcome) => {
        const { parameters: reply, stream } = expectOutcome(method, "upgrade", outcome);
        return { parameters: reply, stream };
      });
  }
  return intercepted;
}

/**
 * Runs `next` for one call, bounded by the call's timeout and signal: an interceptor that waits
 * before calling `next`, or never does, cannot hold the call past them (the connection counts
 * only from when the call is sent). Always a promise, whatever an interceptor returns or throws.
 */
export function runBounded(next: ClientNext, call: ClientCall): Promise<ClientOutcome> {
  if (call.options.signal === undefined && call.options.timeout === undefined) return attempt(next, call);
  return new Promise((resolve, reject) => {
    let over = false;
    const stop = watchCall(call.options, (error) => {
      over = true;
      reject(error);
    });
    // A signal aborted already: nothing is sent.
    if (over) return;
    attempt(next, call).then(
      (outcome) => {
        stop();
        if (over) release(outcome);
        else resolve(outcome);
      },
      (error: unknown) => {
        stop();
        reject(error);
      },
    );
  });
}

/** `next(call)` as a promise: an interceptor that throws, or returns what is not a promise, fails or answers its call all the same. */
function attempt(next: ClientNext, call: ClientCall): Promise<ClientOutcome> {
  try {
    return Promise.resolve(next(call));
  } catch (error) {
    return Promise.reject(error);
  }
}

/** What came after its call was given up: a stream is ended, an upgraded connection closed. */
function release(outcome: ClientOutcome): void {
  try {
    if (outcome?.kind === "stream")
      void Promise.resolve(outcome.replies[Symbol.asyncIterator]().return?.()).catch(() => {});
    else if (outcome?.kind === "upgraded") (outcome.stream as { destroy?: () => void }).destroy?.();
  } catch {
    // Whatever an interceptor made of it, the call is over.
  }
}

/**
 * The replies of a `more` call whose interceptors are still deciding. The call starts at once,
 * as on a bare connection (so pipelined calls keep their order); the replies are read when
 * iterated, and leaving early ends the call even if its replies were not there yet.
 */
class StartingStream implements AsyncIterableIterator<MessageParameters> {
  private iterator: AsyncIterator<MessageParameters> | undefined;
  private readonly ready: Promise<AsyncIterator<MessageParameters>>;

  constructor(replies: Promise<AsyncIterable<MessageParameters>>) {
    this.ready = replies.then((iterable) => (this.iterator = iterable[Symbol.asyncIterator]()));
    // Unread until iterated: a failure is the iteration's, not an unhandled rejection.
    this.ready.catch(() => {});
  }

  async next(): Promise<IteratorResult<MessageParameters>> {
    return (this.iterator ?? (await this.ready)).next();
  }

  async return(): Promise<IteratorResult<MessageParameters>> {
    const iterator = this.iterator ?? (await this.ready.catch(() => undefined));
    await iterator?.return?.();
    return { done: true, value: undefined };
  }

  [Symbol.asyncIterator](): AsyncIterableIterator<MessageParameters> {
    return this;
  }
}
