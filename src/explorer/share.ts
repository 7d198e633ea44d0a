import { stringifyJson } from "@varlink-ts/runtime";
import { bridgeBase } from "./api.js";

// The call as filled in, to take elsewhere: a curl command for the bridge's simple mode, a
// `varlink-ts call` through the bridge, and a link that opens this page on the method with
// these parameters (#SERVICE/METHOD?PARAMETERS).

export interface SharedCall {
  service: string;
  method: string;
  parameters: object;
  mode: "call" | "more";
  /** The bridge asks for a token: the commands read it from $VARLINK_TS_BRIDGE_TOKEN. */
  token: boolean;
}

/** `text` as one shell word. */
function quoted(text: string): string {
  return `'${text.replaceAll("'", `'\\''`)}'`;
}

export function curlCommand(call: SharedCall): string {
  const url = `${bridgeBase}/call/${encodeURIComponent(call.service)}/${encodeURIComponent(call.method)}${call.mode === "more" ? "?more=true" : ""}`;
  const auth = call.token ? ` -H "Authorization: Bearer $VARLINK_TS_BRIDGE_TOKEN"` : "";
  return `curl -sS -X POST -H 'Content-Type: application/json'${auth} --data ${quoted(stringifyJson(call.parameters))} ${quoted(url)}`;
}

export function cliCommand(call: SharedCall): string {
  const address = `${bridgeBase}?service=${encodeURIComponent(call.service)}`;
  return `varlink-ts call${call.mode === "more" ? " --more" : ""} ${quoted(address)} ${call.method} ${quoted(stringifyJson(call.parameters))}`;
}

/** The page's address that opens the method with these parameters. */
export function callLink(call: SharedCall): string {
  return `${location.origin}${location.pathname}${callHash(call.service, call.method, call.parameters)}`;
}

export function callHash(service: string, method: string, parameters?: object): string {
  const query =
    parameters !== undefined && Object.keys(parameters).length > 0
      ? `?${encodeURIComponent(stringifyJson(parameters))}`
      : "";
  return `#${encodeURIComponent(service)}/${encodeURIComponent(method)}${query}`;
}

/** What an address's fragment names: the service, the method, and the parameters' JSON text if given. */
export function readHash(hash: string): { service?: string; method?: string; parameters?: string } {
  const [path = "", query] = hash.replace(/^#/, "").split("?", 2);
  const [service, method] = path.split("/").map(decodeURIComponent);
  return {
    ...(service !== undefined ? { service } : {}),
    ...(method !== undefined ? { method } : {}),
    ...(query !== undefined ? { parameters: decodeURIComponent(query) } : {}),
  };
}
