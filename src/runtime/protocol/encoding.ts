import { ProtocolError } from "../errors.js";
import { parseJson, stringifyJson } from "./json.js";

// A message's text, both ways. Node-free: connections over WebSocket and HTTP use it as well as
// sockets do.

/** A message's JSON, integers beyond the safe range kept exact (see json.ts). */
export function parseMessage(text: string): unknown {
  try {
    return parseJson(text);
  } catch (error) {
    throw new ProtocolError(`invalid JSON in message: ${(error as Error).message}`);
  }
}

/** A message on the wire: JSON and its terminating NUL. */
export function encodeMessage(message: object): string {
  return stringifyJson(message) + "\0";
}
