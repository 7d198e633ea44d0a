import { HttpConnection } from "@varlink-ts/runtime";
import type { ExplorerModel } from "./model.js";

// The page talks to the bridge it came from: its routes are relative to the page's own URL
// (<base>/), so it works under any --base, over http and https.

const tokenKey = "varlink-explorer-token";

/** The bridge's base URL: the page's URL without its trailing slash. */
export const bridgeBase = `${location.origin}${location.pathname.replace(/\/$/, "")}`;

export function savedToken(): string | undefined {
  return sessionStorage.getItem(tokenKey) ?? undefined;
}

export function saveToken(token: string): void {
  sessionStorage.setItem(tokenKey, token);
}

export class Unauthorized extends Error {}

export async function loadModel(): Promise<ExplorerModel> {
  const token = savedToken();
  const response = await fetch(`${bridgeBase}/explorer/services`, {
    headers: token !== undefined ? { Authorization: `Bearer ${token}` } : {},
  });
  if (response.status === 401) throw new Unauthorized("the bridge asks for its token");
  if (!response.ok)
    throw new Error(`the bridge answered HTTP ${response.status}: ${(await response.text()).slice(0, 200)}`);
  return (await response.json()) as ExplorerModel;
}

/** Calls to `service` through the bridge's simple mode. */
export function connectionTo(service: string): HttpConnection {
  const token = savedToken();
  return new HttpConnection(bridgeBase, { service, ...(token !== undefined ? { token } : {}) });
}
