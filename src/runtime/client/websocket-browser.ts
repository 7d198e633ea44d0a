import { ConnectionError } from "../protocol/errors.js";
import { MessageConnection } from "./message-connection.js";

// The browser's own WebSocket. Browsers cannot set an Authorization header on a WebSocket, so
// a token travels as the `access_token` query parameter, which the bridge accepts on this route.

/** The part of the browser's WebSocket used here (the project compiles without the DOM types). */
interface BrowserWebSocket {
  send(text: string): void;
  close(): void;
  onopen: (() => void) | null;
  onmessage: ((event: { data: unknown }) => void) | null;
  onclose: ((event: { code: number; reason: string }) => void) | null;
  onerror: (() => void) | null;
}

const browser = globalThis as unknown as {
  WebSocket: new (url: string) => BrowserWebSocket;
  location?: { href: string };
};

/** A bridge's bearer token (sent as `access_token`, browsers set no header on a WebSocket), and a signal that stops connecting. */
export interface WebSocketConnectOptions {
  token?: string;
  signal?: AbortSignal;
}

export function connectWebSocket(url: string, options: WebSocketConnectOptions = {}): Promise<MessageConnection> {
  const target = new URL(url, browser.location?.href);
  if (target.protocol === "http:") target.protocol = "ws:";
  if (target.protocol === "https:") target.protocol = "wss:";
  if (options.token !== undefined) target.searchParams.set("access_token", options.token);
  return new Promise((resolve, reject) => {
    const socket = new browser.WebSocket(target.href);
    const onAbort = (): void => socket.close();
    options.signal?.addEventListener("abort", onAbort, { once: true });
    socket.onerror = () => reject(new ConnectionError(`${url}: the WebSocket could not connect`));
    socket.onopen = () => {
      options.signal?.removeEventListener("abort", onAbort);
      resolve(
        new MessageConnection({
          send: (text) => socket.send(text),
          close: () => socket.close(),
          listen: (onMessage, onClose) => {
            socket.onmessage = (event) => onMessage(typeof event.data === "string" ? event.data : "");
            socket.onclose = (event) => onClose(event.reason || `code ${event.code}`);
            socket.onerror = null;
          },
        }),
      );
    };
  });
}
