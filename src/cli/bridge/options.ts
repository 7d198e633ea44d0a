import type { ExplorerAssets } from "./explorer-assets.js";
import type { InterfaceFiles } from "./interface-files.js";
import type { TlsSettings } from "./tls.js";

/** How the HTTP bridge is set up; every field comes from the command line. */
export interface BridgeOptions {
  /** Bridged services by the name requests use; nothing else can be reached. */
  services: ReadonlyMap<string, string>;
  /** Path the routes live under, "" or like "/varlink". */
  base: string;
  /** When set, every request must carry `Authorization: Bearer TOKEN`. */
  token?: string | undefined;
  /** Largest request body, in bytes. */
  maxBody: number;
  /** Host names besides the loopback ones that requests may name (canonical, from --allow-host). */
  allowedHosts: readonly string[];
  /** Origins (besides the bridge's own) whose pages may call the bridge (CORS) and open its WebSocket route. */
  allowedOrigins: readonly string[];
  /** Seconds a simple-mode call may take. */
  callTimeout?: number | undefined;
  /** Seconds a client has to send a request's headers; then 408 and the connection closes. */
  headerTimeout: number;
  /** Seconds a client has to send a whole request, headers and body; then 408. */
  bodyTimeout: number;
  /** Serve HTTPS and WSS; with a CA, only to clients with a certificate it signed. */
  tls?: TlsSettings | undefined;
  /** Descriptions of interfaces whose services cannot describe themselves (--interface-file). */
  interfaceFiles?: InterfaceFiles | undefined;
  /** Serve the explorer page at <base>/ (--ui), with these files. */
  explorer?: ExplorerAssets | undefined;
}

export const defaultMaxBody = 1024 * 1024;
