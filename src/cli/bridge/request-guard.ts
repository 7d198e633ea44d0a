import type { IncomingMessage } from "node:http";
import type { Refusal } from "./responses.js";

// Who may use the bridge at all, decided before any route runs or any service is touched.
//
// A loopback listener is reachable by every web page the user opens. A page on
// http://evil.example:PORT whose name the attacker's DNS then points at 127.0.0.1 (DNS
// rebinding) is same-origin with the bridge, so Origin checks alone cannot stop it: only the Host
// the browser sends still names evil.example. So a request is served only when its Host is a
// loopback name or address, or a name the user allowed; and a request that a page of another
// origin sends is refused unless that origin was allowed.

export type Verdict = { ok: true } | Refusal;

const allowed: Verdict = { ok: true };

/** A Host as browsers send it: a name or an IPv4 address, or an IPv6 address in brackets, and an optional port. */
const hostSyntax = /^(?:\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9._-]+)(?::\d{1,5})?$/;

/**
 * The canonical form of a Host header (`hostname` and `host` as WHATWG URL gives them: lower
 * case, IPv4 in dotted decimal, IPv6 compressed, default port dropped), or undefined when the
 * text is not a plain host. The syntax check comes first: URL parsing alone would read
 * `evil.example@localhost` as a user name and a host.
 */
export function canonicalHost(
  text: string,
  scheme: "http" | "https" = "http",
): { hostname: string; host: string } | undefined {
  if (!hostSyntax.test(text)) return undefined;
  try {
    const url = new URL(`${scheme}://${text}/`);
    return { hostname: url.hostname, host: url.host };
  } catch {
    return undefined;
  }
}

/** localhost, 127.0.0.0/8 and ::1, in canonical form. */
export function isLoopbackHostname(hostname: string): boolean {
  return hostname === "localhost" || hostname === "[::1]" || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(hostname);
}

export interface GuardPolicy {
  /** Canonical host names besides the loopback ones that requests may name (--allow-host). */
  allowedHosts: ReadonlySet<string>;
  /** Origins whose pages may call the bridge across origins (--allow-origin). */
  allowedOrigins: readonly string[];
  scheme: "http" | "https";
}

/**
 * Checks a request's target, Host and Origin, in that order. Every route, the WebSocket
 * upgrade included, runs this first.
 */
export function guardRequest(request: IncomingMessage, policy: GuardPolicy): Verdict {
  // Absolute-form targets (`GET http://other/ HTTP/1.1`) are for proxies; their authority
  // would override the Host header, so they are refused outright.
  if (!(request.url ?? "").startsWith("/"))
    return { ok: false, answer: "InvalidCall", reason: "the request target must be a path" };
  const hosts = request.headersDistinct["host"] ?? [];
  if (hosts.length !== 1)
    return {
      ok: false,
      answer: "InvalidCall",
      reason: hosts.length === 0 ? "the request has no Host header" : "the request has several Host headers",
    };
  const host = canonicalHost(hosts[0]!, policy.scheme);
  if (host === undefined || !(isLoopbackHostname(host.hostname) || policy.allowedHosts.has(host.hostname))) {
    return {
      ok: false,
      answer: "Refused",
      reason: `the Host ${JSON.stringify(hosts[0]!.slice(0, 100))} is not allowed: the bridge answers requests for localhost, 127.0.0.1 and [::1] only, and for names given with --allow-host`,
    };
  }
  return checkOrigin(request.headers.origin, host.host, policy);
}

/**
 * Browsers send Origin with cross-origin requests, WebSockets and same-origin POSTs. A page of
 * the bridge's own origin, or of an origin given with --allow-origin, may go on; any other page
 * (`null` included, as sandboxed frames and files send) may not.
 */
function checkOrigin(origin: string | undefined, host: string, policy: GuardPolicy): Verdict {
  if (origin === undefined || policy.allowedOrigins.includes(origin)) return allowed;
  let sameOrigin = false;
  try {
    const url = new URL(origin);
    sameOrigin = url.protocol === `${policy.scheme}:` && url.host === host && url.origin === origin;
  } catch {
    sameOrigin = false;
  }
  return sameOrigin
    ? allowed
    : { ok: false, answer: "Refused", reason: "pages from this origin may not use the bridge (see --allow-origin)" };
}
