/** Where a command writes and what it may know of its terminal; tests pass their own. */
export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
  readStdin(): Promise<string>;
  cwd: string;
  /** The environment commands read settings from (VARLINK_TS_CACHE_DIR, ...). */
  env: Readonly<Record<string, string | undefined>>;
  /** Colour output only on a terminal, and never when NO_COLOR is set. */
  color: boolean;
  /** Standard output is a terminal (a person reads it, not a program). */
  terminal?: boolean;
  /** Ends long-running commands (generate --watch); the binary wires it to Ctrl-C. */
  signal?: AbortSignal;
  /**
   * Connects standard input and output to `stream` (call --upgrade) until the other end closes;
   * standard input's end ends what is written to it. Only the binary's own io has it.
   */
  pipeUpgraded?(stream: import("node:stream").Duplex): Promise<void>;
}

export function processIo(): CliIo {
  const noColor = process.env["NO_COLOR"] !== undefined && process.env["NO_COLOR"] !== "";
  const forceColor = process.env["FORCE_COLOR"] !== undefined && process.env["FORCE_COLOR"] !== "0";
  return {
    stdout: (text) => void process.stdout.write(text),
    stderr: (text) => void process.stderr.write(text),
    readStdin: async () => {
      const chunks: Buffer[] = [];
      for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
      return Buffer.concat(chunks).toString("utf8");
    },
    pipeUpgraded: (stream) =>
      new Promise<void>((resolve) => {
        const done = (): void => {
          process.stdin.unpipe(stream);
          process.stdin.destroy();
          resolve();
        };
        stream.once("end", done).once("close", done).once("error", done);
        stream.pipe(process.stdout, { end: false });
        process.stdin.pipe(stream);
      }),
    cwd: process.cwd(),
    env: process.env,
    color: forceColor || (!noColor && process.stdout.isTTY === true),
    terminal: process.stdout.isTTY === true,
  };
}

/**
 * Why a command was told to stop, as the reason of CliIo.signal: a signal (exit 128 + its
 * number, as a shell reports a process it killed) or a closed standard output (141, as SIGPIPE).
 */
export class StopRequest extends Error {
  constructor(
    readonly by: "SIGINT" | "SIGTERM" | "EPIPE",
    readonly exitCode: number,
  ) {
    super(`stopped by ${by}`);
  }
}

/** The stop request `signal` fired with, if it fired with one. */
export function stopRequestOf(signal: AbortSignal | undefined): StopRequest | undefined {
  return signal?.aborted === true && signal.reason instanceof StopRequest ? signal.reason : undefined;
}

/** Resolves when a long-running command is told to stop (never, without a signal). */
export function untilAborted(signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    signal?.addEventListener("abort", () => resolve(), { once: true });
  });
}

/** A problem with how the command was called (exit code 2), as opposed to problems found in files. */
export class UsageError extends Error {}

export const exitCodes = { ok: 0, problems: 1, usage: 2 } as const;
