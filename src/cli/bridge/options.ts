import type { ExplorerAssets } from "./explorer-assets.js";
import type { InterfaceFiles } from "./interface-files.js";
import type { TlsSettings } from "./tls.js";
import type { optionTables } from "../options/commands.js";
import type { OptionValues } from "../options/table.js";

/**
 * How the HTTP bridge is set up: from `bridge http`'s options (its table says what the flags
 * mean), the ones taken as given by name, the others as read and checked by the command.
 */
export interface BridgeOptions
  extends Pick<OptionValues<(typeof optionTables)["bridge http"]>, "maxBody" | "headerTimeout" | "bodyTimeout"> {
  /** Bridged services by the name requests use; nothing else can be reached. */
  services: ReadonlyMap<string, string>;
  /** Path the routes live under, "" or like "/varlink" (--base without its trailing slashes). */
  base: string;
  /** When set, every request must carry `Authorization: Bearer TOKEN`. */
  token?: string | undefined;
  /** Host names besides the loopback ones that requests may name (canonical, from --allow-host). */
  allowedHosts: readonly string[];
  /** Origins (besides the bridge's own) whose pages may call the bridge (CORS) and open its WebSocket route. */
  allowedOrigins: readonly string[];
  /** Seconds a simple-mode call may take (--timeout; none: no limit). */
  callTimeout?: number | undefined;
  /** Serve HTTPS and WSS; with a CA, only to clients with a certificate it signed. */
  tls?: TlsSettings | undefined;
  /** Descriptions of interfaces whose services cannot describe themselves (--interface-file). */
  interfaceFiles?: InterfaceFiles | undefined;
  /** Serve the explorer page at <base>/ (--ui), with these files. */
  explorer?: ExplorerAssets | undefined;
}
