import { AddressError, CallAbortedError, ConnectionError, ProtocolError, SocketConnection, stringifyJson, VarlinkError, type CallOptions } from "@varlink-ts/runtime";
import type { CliIo } from "../io.js";

// What the commands that talk to a running service share: connecting with a message that says
// where it failed, call options from flags, and how replies and error replies are printed.

export interface SessionOptions {
  /** Seconds before a call is given up. */
  timeout?: number | undefined;
  json?: "pretty" | "short" | undefined;
}

export class ServiceUnreachable extends Error {}

/** Connects to `address`, runs `use`, and always closes the connection (and any exec: server). */
export async function withService<T>(address: string, use: (client: SocketConnection) => Promise<T>): Promise<T> {
  let client: SocketConnection;
  try {
    client = await SocketConnection.connect(address);
  } catch (error) {
    // The runtime's own message already names the address and the reason.
    throw new ServiceUnreachable(error instanceof ConnectionError || error instanceof AddressError ? error.message : `cannot connect to ${address}: ${error instanceof Error ? error.message : String(error)}`);
  }
  try {
    return await use(client);
  } finally {
    await client.close();
  }
}

export function callOptions(options: SessionOptions): CallOptions {
  return options.timeout !== undefined ? { timeout: Math.round(options.timeout * 1000) } : {};
}

export function printJson(io: CliIo, value: unknown, options: SessionOptions): void {
  io.stdout(`${options.json === "short" ? stringifyJson(value) : stringifyJson(value, 2)}\n`);
}

/**
 * Prints why a call failed and returns the exit code: an error reply names the error and its
 * parameters (as JSON, for scripts), a lost connection or timeout says so.
 */
export function reportFailure(io: CliIo, method: string, error: unknown): number {
  if (error instanceof VarlinkError) {
    io.stderr(`${method} failed: ${error.errorName}\n`);
    if (Object.keys(error.parameters).length > 0) io.stderr(`${stringifyJson(error.parameters, 2)}\n`);
    return 1;
  }
  if (error instanceof ServiceUnreachable || error instanceof ConnectionError || error instanceof CallAbortedError || error instanceof ProtocolError) {
    io.stderr(`varlink-ts: ${error.message}\n`);
    return 1;
  }
  throw error;
}
