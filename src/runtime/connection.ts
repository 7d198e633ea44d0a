import type { CallOptions, UpgradeResult } from "./client.js";
import type { ErrorFactory, Parameters } from "./errors.js";

/**
 * What a generated client needs of a connection, whatever carries it: a socket (VarlinkClient),
 * a WebSocket through the HTTP bridge (MessageClient) or plain HTTP requests (HttpClient).
 */
export interface VarlinkConnection {
  call<T = Parameters>(method: string, parameters?: object, options?: CallOptions): Promise<T>;
  more<T = Parameters>(method: string, parameters?: object, options?: CallOptions): AsyncIterableIterator<T>;
  oneway(method: string, parameters?: object): Promise<void>;
  /** Only where the connection is a byte stream that can carry another protocol afterwards. */
  upgrade?<T = Parameters>(method: string, parameters?: object, options?: CallOptions): Promise<UpgradeResult<T>>;
  registerError(name: string, factory: ErrorFactory): this;
  close(): Promise<void>;
}
