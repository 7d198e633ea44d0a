import {
  AddressError,
  CallAbortedError,
  ConnectionError,
  openConnection,
  ProtocolError,
  SocketConnection,
  stringifyJson,
  VarlinkError,
  type CallOptions,
  type FdPassing,
  type VarlinkConnection,
} from "@varlink-ts/runtime";
import { stopRequestOf, UsageError, type CliIo } from "../io.js";

// What the commands that talk to a running service share: connecting (to an address, or over a
// --bridge command's stdio) with a message that says where it failed, call options from flags,
// and how replies and error replies are printed.

/** Where the service is: an address, or a command that speaks varlink on its stdio (--bridge). */
export type Target = { address: string } | { bridge: string };

export interface SessionOptions {
  /** Seconds before a call is given up; undefined waits for ever. */
  timeout?: number | undefined;
  json?: "pretty" | "short" | undefined;
  /** --interface-file: .varlink files describing interfaces in place of the service. */
  interfaceFiles?: readonly string[] | undefined;
}

export class ServiceUnreachable extends Error {}

export function describeTarget(target: Target): string {
  return "address" in target ? target.address : `the bridge command '${target.bridge}'`;
}

/**
 * Connects to `target`, runs `use`, and always closes the connection (and any process it
 * started). `service` is the interface the calls are for: an HTTP bridge URL that names no
 * service is asked for the one named after it. When `signal` fires (Ctrl-C, SIGTERM, a closed
 * standard output) the connection is closed at once, which ends every call on it.
 */
export async function withService<T>(
  target: Target,
  use: (client: VarlinkConnection) => Promise<T>,
  options: {
    service?: string | undefined;
    env?: CliIo["env"];
    signal?: AbortSignal | undefined;
    fdPassing?: FdPassing | undefined;
  } = {},
): Promise<T> {
  let client: VarlinkConnection;
  try {
    if ("bridge" in target) client = await SocketConnection.overCommand("/bin/sh", ["-c", target.bridge]);
    else {
      const token = options.env?.["VARLINK_TS_BRIDGE_TOKEN"];
      client = await openConnection(target.address, {
        ...(options.service !== undefined ? { service: options.service } : {}),
        ...(token !== undefined && token !== "" ? { token } : {}),
        ...(options.fdPassing !== undefined ? { fdPassing: options.fdPassing } : {}),
      });
    }
  } catch (error) {
    // An address that cannot be one is a usage error (exit 2), not a service that is away.
    if (error instanceof AddressError) throw new UsageError(error.message);
    // The runtime's own message already names the address and the reason.
    throw new ServiceUnreachable(
      error instanceof ConnectionError || error instanceof AddressError
        ? error.message
        : `cannot connect to ${describeTarget(target)}: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  const stop = (): void => void client.close();
  options.signal?.addEventListener("abort", stop, { once: true });
  try {
    if (options.signal?.aborted) throw options.signal.reason;
    return await use(client);
  } finally {
    options.signal?.removeEventListener("abort", stop);
    await client.close();
  }
}

export function callOptions(options: SessionOptions): CallOptions {
  return options.timeout !== undefined ? { timeout: Math.round(options.timeout * 1000) } : {};
}

export function formatJson(value: unknown, options: SessionOptions): string {
  return options.json === "short" ? stringifyJson(value) : stringifyJson(value, 2);
}

export function printJson(io: CliIo, value: unknown, options: SessionOptions): void {
  io.stdout(`${formatJson(value, options)}\n`);
}

/** The errors a service that cannot describe itself answers introspection with (systemd 252's userdbd: both). */
const notDescribing = new Set(["org.varlink.service.MethodNotImplemented", "org.varlink.service.MethodNotFound"]);

/** What to do when a service will not describe itself: the files that describe it in its place. */
function introspectionHint(method: string, errorName: string): string | undefined {
  if (!notDescribing.has(errorName)) return undefined;
  const files =
    "--interface-file FILE.varlink describes an interface in its place (call, introspect and list-methods take it)";
  // systemd 252's userdbd answers neither GetInfo nor GetInterfaceDescription: calls by name still work.
  if (method === "org.varlink.service.GetInfo")
    return `the service does not say what it implements: call its methods by name (call ADDRESS INTERFACE.METHOD PARAMETERS); ${files}`;
  if (method === "org.varlink.service.GetInterfaceDescription")
    return `the service does not describe its interfaces: ${files}`;
  return undefined;
}

/**
 * Prints why a call failed and returns the exit code: an error reply names the error and its
 * parameters (as JSON, for scripts), a lost connection or timeout says so.
 */
export function reportFailure(io: CliIo, method: string, error: unknown): number {
  // Told to stop: whatever failed failed because of it, and the stop says how to end.
  const stopped = stopRequestOf(io.signal);
  if (stopped !== undefined) return stopped.exitCode;
  if (error instanceof VarlinkError) {
    io.stderr(`${method} failed: ${error.errorName}\n`);
    if (Object.keys(error.parameters).length > 0) io.stderr(`${stringifyJson(error.parameters, 2)}\n`);
    const hint = introspectionHint(method, error.errorName);
    if (hint !== undefined) io.stderr(`${hint}\n`);
    return 1;
  }
  if (
    error instanceof ServiceUnreachable ||
    error instanceof ConnectionError ||
    error instanceof CallAbortedError ||
    error instanceof ProtocolError
  ) {
    io.stderr(`varlink-ts: ${error.message}\n`);
    return 1;
  }
  throw error;
}
