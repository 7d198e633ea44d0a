import { isQualifiedMemberName } from "@varlink-ts/runtime/model";
import { closeSync } from "node:fs";
import type { Duplex } from "node:stream";
import {
  CallAbortedError,
  fdsOf,
  parseJson,
  stringifyJson,
  VarlinkError,
  type CallOptions,
  type ReceivedFds,
  type VarlinkConnection,
} from "@varlink-ts/runtime";
import { stopRequestOf, UsageError, type CliIo } from "../io.js";
import { resolveProgram } from "../command-line.js";
import type { InterfaceFile } from "../interface-file.js";
import { installHint, optionalFdPassing, requiredFdPassing } from "../service/fd-passing.js";
import { pushedFds } from "../service/pushed-fds.js";
import { execWithReply } from "./exec-reply.js";
import {
  callOptions,
  formatJson,
  printJson,
  reportFailure,
  withService,
  type SessionOptions,
  type Target,
} from "../service/session.js";

export interface CallCommandOptions extends SessionOptions {
  target: Target;
  method: string;
  /** The parameters as JSON text; undefined means none, unless `stdin` says to read them. */
  parameters?: string | undefined;
  stdin: boolean;
  more: boolean;
  oneway: boolean;
  /** With `more`: print every reply in one JSON array at the end. */
  collect: boolean;
  /** Print nothing; the exit code says how it went. */
  quiet: boolean;
  /** Error names that count as success (exit 0). */
  graceful: string[];
  /** After the reply, connect standard input and output to the raw connection (the reply goes to standard error). */
  upgrade: boolean;
  /** --push-fd: fds (numbers this process has open) or files (opened for reading) to send with the call, in order. */
  pushFds: string[];
  /** --exec: the command line run with the reply on its standard input and the reply's fds as fds 3, 4, … */
  exec?: string[] | undefined;
}

/**
 * `varlink-ts call ADDRESS METHOD [JSON]`: one call, its reply printed as JSON; with --more
 * every reply as it arrives (a JSON text sequence when the output is not a terminal, as
 * varlinkctl writes); with --collect all of them as one array; with --oneway nothing is awaited.
 */
export async function runCall(options: CallCommandOptions, io: CliIo): Promise<number> {
  if ((options.more || options.collect) && options.oneway)
    throw new UsageError("--more (or --collect) and --oneway cannot be used together");
  if (options.upgrade && (options.more || options.collect || options.oneway))
    throw new UsageError("--upgrade cannot be used with --more, --collect or --oneway");
  if (options.exec !== undefined && (options.more || options.collect || options.oneway || options.upgrade)) {
    throw new UsageError(
      "--exec runs a command with the one reply: it cannot be used with --more, --collect, --oneway or --upgrade",
    );
  }
  const program = options.exec !== undefined ? resolveProgram("--exec", options.exec, io.env, io.cwd) : undefined;
  if (options.stdin && options.parameters !== undefined)
    throw new UsageError("give the parameters as an argument or on standard input, not both");
  if (!isQualifiedMemberName(options.method)) {
    throw new UsageError(
      `'${options.method}' is not a method name: expected INTERFACE.Method, e.g. org.varlink.service.GetInfo`,
    );
  }
  for (const name of options.graceful)
    if (!isQualifiedMemberName(name))
      throw new UsageError(`--graceful takes an error name, like org.varlink.service.InvalidParameter (got '${name}')`);
  const text = options.stdin ? await io.readStdin() : options.parameters;
  const parameters = parseParameters(text, options.stdin ? "standard input" : "the parameters argument");
  const interfaceName = options.method.slice(0, options.method.lastIndexOf("."));
  // Described by a file: the call is checked before anything is sent.
  const files =
    options.interfaceFiles !== undefined && options.interfaceFiles.length > 0
      ? await (await import("../interface-file.js")).readInterfaceFiles(options.interfaceFiles)
      : new Map<string, InterfaceFile>();
  const file = files.get(interfaceName);
  if (file !== undefined) {
    const { missingMethod, parameterProblems } = await import("../service/call-problems.js");
    const missing = missingMethod(file.text, options.method);
    if (missing !== undefined) throw new UsageError(`${missing} (as ${file.file} describes it)`);
    const problems = parameterProblems(file.text, options.method, parameters);
    if (problems.length > 0) {
      io.stderr(
        `varlink-ts: ${options.method}: the parameters do not fit ${file.file}; nothing was sent:\n${problems.map((problem) => `  ${problem}\n`).join("")}`,
      );
      return 2;
    }
  }
  const print = (value: unknown): void => {
    if (!options.quiet) printJson(io, value, options);
  };
  // RFC 7464 records, so that a program reading the stream can tell the replies apart.
  const record = (value: unknown): void => {
    if (!options.quiet)
      io.stdout(io.terminal === true ? `${formatJson(value, options)}\n` : `\u001e${formatJson(value, options)}\n`);
  };
  // Any call over a unix socket may be answered with fds: with the add-on they are received and named.
  const fdPassing =
    options.pushFds.length > 0
      ? await requiredFdPassing("--push-fd")
      : "address" in options.target
        ? await optionalFdPassing()
        : undefined;
  if (options.exec !== undefined && fdPassing === undefined && "address" in options.target) {
    io.stderr(
      `varlink-ts: without @varlink-ts/unix-fds installed, file descriptors the reply carries are lost (${installHint})\n`,
    );
  }
  const pushed = pushedFds(options.pushFds);
  if (pushed.fds.length > 0 && !options.quiet)
    io.stderr(`sending ${pushed.fds.length} file descriptor(s): ${pushed.described.join(", ")}\n`);
  // A reply's fds are named on standard error (their indices), then closed: a shell cannot take them.
  const noteFds = (reply: unknown): void => {
    const fds = fdsOf(reply);
    if (fds !== undefined && fds.length > 0 && !options.quiet)
      io.stderr(`the reply carried ${fds.length} file descriptor(s): ${[...Array(fds.length).keys()].join(", ")}\n`);
  };
  const call = { ...callOptions(options), ...(pushed.fds.length > 0 ? { fds: pushed.fds } : {}) };
  let execInput: { reply: unknown; fds: number[] } | undefined;
  // Replies of a --more call so far: a timeout that ends it says how many came.
  let received = 0;
  // Said after the error reply: what is wrong with the call, found while the connection is open.
  let explanation: string[] = [];
  const perform = async (client: VarlinkConnection): Promise<void> => {
    if (options.oneway) return client.oneway(options.method, parameters);
    if (options.upgrade) return upgradeAndPipe(client, options.method, parameters, call, io, (reply) => noteFds(reply));
    if (!options.more && !options.collect) {
      const reply = await client.call(options.method, parameters, call);
      if (options.exec !== undefined) return void (execInput = { reply, fds: takeAll(fdsOf(reply)) });
      noteFds(reply);
      return print(reply);
    }
    const collected: unknown[] = [];
    for await (const reply of client.more(options.method, parameters, call)) {
      received++;
      noteFds(reply);
      if (options.collect) collected.push(reply);
      else record(reply);
    }
    if (options.collect) print(collected);
  };
  try {
    await withService(
      options.target,
      async (client) => {
        try {
          await perform(client);
        } catch (error) {
          if (error instanceof VarlinkError && !options.quiet && !options.graceful.includes(error.errorName)) {
            const { describer, explainError } = await import("../service/call-problems.js");
            explanation = await explainError(error, options.method, parameters, describer(files, client), client);
          }
          throw error;
        }
      },
      { service: interfaceName, env: io.env, signal: io.signal, fdPassing },
    );
    // The connection is closed by now: the command gets the reply and its fds, nothing else.
    if (execInput !== undefined)
      return await execWithReply(
        program!,
        options.exec!,
        `${formatJson(execInput.reply, options)}\n`,
        execInput.fds,
        io,
      );
    // An upgraded connection that a signal closed ends as the signal says (130, 143, 141).
    return stopRequestOf(io.signal)?.exitCode ?? 0;
  } catch (error) {
    if (error instanceof VarlinkError && options.graceful.includes(error.errorName)) return 0;
    if (options.quiet && error instanceof VarlinkError) return 1;
    const code = reportFailure(
      io,
      options.method,
      options.more || options.collect ? streamTimedOut(error, options.timeout, received, io) : error,
    );
    for (const line of explanation) io.stderr(`${line}\n`);
    return code;
  } finally {
    for (const fd of pushed.opened) closeSync(fd);
  }
}

/**
 * The call with 'upgrade'; its reply goes to standard error (standard output carries the other
 * protocol from then on), then standard input and output are the connection's until it closes.
 */
async function upgradeAndPipe(
  client: VarlinkConnection,
  method: string,
  parameters: object,
  call: CallOptions,
  io: CliIo,
  noteFds: (reply: unknown) => void,
): Promise<void> {
  if (client.upgrade === undefined)
    throw new UsageError(
      "--upgrade needs a connection that is a byte stream (unix:, tcp:, exec:, ssh), not an HTTP bridge",
    );
  if (io.pipeUpgraded === undefined)
    throw new UsageError("--upgrade needs a terminal's or a pipe's standard input and output");
  const { parameters: reply, stream } = await client.upgrade(method, parameters, call);
  noteFds(reply);
  io.stderr(`${stringifyJson(reply)}\n`);
  await io.pipeUpgraded(stream as Duplex);
}

/**
 * A --more call that its timeout ended (not Ctrl-C, which closes the connection): the limit is
 * on the whole call, not on the wait for each reply, and some replies may have come.
 */
function streamTimedOut(error: unknown, timeout: number | undefined, received: number, io: CliIo): unknown {
  if (!(error instanceof CallAbortedError) || timeout === undefined || stopRequestOf(io.signal) !== undefined)
    return error;
  return new CallAbortedError(
    `the call did not finish within --timeout ${timeout} s (a limit on the whole call, not on each reply); ${received} ${received === 1 ? "reply" : "replies"} arrived`,
  );
}

/** Every fd a reply brought, as the caller's own. */
function takeAll(fds: ReceivedFds | undefined): number[] {
  return fds === undefined ? [] : Array.from({ length: fds.length }, (_, index) => fds.take(index));
}

function parseParameters(text: string | undefined, where: string): Record<string, unknown> {
  if (text === undefined || text.trim() === "") return {};
  let value: unknown;
  try {
    value = parseJson(text);
  } catch (error) {
    throw new UsageError(`${where} is not valid JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (typeof value !== "object" || value === null || Array.isArray(value))
    throw new UsageError(`${where} must be a JSON object, like '{"name": "root"}'`);
  return value as Record<string, unknown>;
}
