import { errorText, isAbortOf, isVarlinkError } from "../protocol/errors.js";
import type { ClientInterceptor } from "./client.js";
import type { ServerInterceptor } from "./server.js";

// One line per call, on either side: the method, how long it took, and how it ended; a stream
// also says how many replies it had. A stream's line is written when it ends, which is when it
// has been read to its end, failed, or was left early.

/** Where the lines go. Default: console.error (stderr in Node). */
export type LogLine = (line: string) => void;

const defaultWrite: LogLine = (line) => console.error(line);

/** Logs every call a client makes: `org.example.ftl.Jump 1.3 ms ok`. */
export function logClientCalls(write: LogLine = defaultWrite): ClientInterceptor {
  return (next) => async (call) => {
    const log = logger(write, call.method);
    try {
      return log.outcome(await next(call));
    } catch (error) {
      throw log.failed(error);
    }
  };
}

/** Logs every call a server answers: `org.example.ftl.Jump 0.2 ms error org.example.ftl.NotEnoughEnergy`. */
export function logServerCalls(write: LogLine = defaultWrite): ServerInterceptor {
  return (next) => (call) => {
    const log = logger(write, call.method, (error) => stoppedHow(call.context.signal, error) ?? describe(error));
    try {
      const outcome = next(call);
      if (outcome instanceof Promise)
        return outcome.then(
          (settled) => log.outcome(settled),
          (error: unknown) => Promise.reject(log.failed(error)),
        );
      return log.outcome(outcome);
    } catch (error) {
      throw log.failed(error);
    }
  };
}

interface CallLog {
  ended(how: string, replies?: number): void;
  /** How a call that failed with `error` ended, as its line says it. */
  how(error: unknown): string;
  failed(error: unknown): unknown;
  /** The outcome, its replies counted if it is a stream; the line is written now if it is not. */
  outcome<O extends { readonly kind: string }>(outcome: O): O;
}

function logger(write: LogLine, method: string, how: (error: unknown) => string = describe): CallLog {
  const start = performance.now();
  const log: CallLog = {
    ended: (how, replies) =>
      write(
        `${method} ${(performance.now() - start).toFixed(1)} ms ${how}${replies === undefined ? "" : `, ${replies} ${replies === 1 ? "reply" : "replies"}`}`,
      ),
    how,
    failed: (error) => {
      log.ended(how(error));
      return error;
    },
    outcome: (outcome) => {
      const { replies } = outcome as { replies?: AsyncIterable<unknown> };
      if (replies === undefined) {
        log.ended("ok");
        return outcome;
      }
      return { ...outcome, replies: counted(replies, log) };
    },
  };
  return log;
}

function describe(error: unknown): string {
  if (isVarlinkError(error)) return `error ${error.errorName}`;
  return `failed: ${errorText(error, false)}`;
}

/**
 * A call whose handler gave up because it was told to stop (its client left, its time ran out,
 * the server is closing) did not fail: its line says it stopped, and why.
 */
function stoppedHow(signal: AbortSignal, error: unknown): string | undefined {
  return signal.aborted && isAbortOf(error, signal.reason) ? `stopped: ${errorText(signal.reason, false)}` : undefined;
}

/** The replies as they are read, counted; the line is written when the stream is over. */
async function* counted<T>(replies: AsyncIterable<T>, log: CallLog): AsyncGenerator<T, void, undefined> {
  let count = 0;
  let how = "left early";
  try {
    for await (const reply of replies) {
      count++;
      yield reply;
    }
    how = "ok";
  } catch (error) {
    how = log.how(error);
    throw error;
  } finally {
    log.ended(how, count);
  }
}
