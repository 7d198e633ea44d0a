import type { Duplex } from "node:stream";
import type { Parameters } from "./errors.js";

/** What a handler learns about the call it serves. */
export interface CallContext {
  /** The fully qualified method name. */
  method: string;
  more: boolean;
  oneway: boolean;
  upgrade: boolean;
  /** Fires when the client disconnects or the server shuts down; long work should stop. */
  signal: AbortSignal;
  /** The raw call, vendor-prefixed header keys included. */
  call: Readonly<Record<string, unknown>>;
  /**
   * For calls with `upgrade`: sends `parameters` as the reply and hands over the raw
   * connection, with any bytes the client already sent after the call. The stream is paused:
   * pipe it, iterate it, or call `resume()` after adding a 'data' listener.
   */
  upgradeConnection(parameters?: Parameters): Duplex;
}

/**
 * A method's implementation. It may return the reply parameters (or a promise of them), or an
 * async generator for `more` calls: every yielded value is a reply, the last one ends the call.
 */
export type Handler<P = any> = (parameters: P, context: CallContext) => unknown;

export interface MethodImplementation {
  /** Left out, the method answers MethodNotImplemented. */
  handler?: Handler | undefined;
  /** `requires`: calls without `more` get ExpectedMore. */
  more?: "requires" | "supports" | undefined;
  /** `requires`: calls without `upgrade` get ExpectedUpgrade. */
  upgrade?: "requires" | "supports" | undefined;
  /** Returns the path of the first invalid parameter, if any: the call gets InvalidParameter. */
  validate?: ((parameters: Parameters) => string | undefined) | undefined;
}

export interface ServiceInterface {
  /** The interface name, e.g. `org.example.ftl`. */
  name: string;
  /** The exact interface text, returned by GetInterfaceDescription. */
  description: string;
  /** Implementations by method name; declared methods left out answer MethodNotImplemented. */
  methods: Record<string, MethodImplementation | Handler | undefined>;
}

export type Logger = (message: string, error?: unknown) => void;
