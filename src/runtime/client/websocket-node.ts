import http from "node:http";
import https from "node:https";
import { ConnectionError } from "../protocol/errors.js";
import { MessageConnection } from "./message-connection.js";
import { WebSocketChannel } from "../websocket/channel.js";
import { acceptKey, newKey } from "../websocket/frames.js";
import { inWords, type NodeHttpOptions } from "./http-transport-node.js";

// WebSocket for Node 20, which has no WebSocket global: the handshake over node:http, then
// WebSocketChannel for the frames.

/** How connectWebSocket reaches a bridge: its token, TLS options and a signal that stops connecting. */
export interface WebSocketConnectOptions extends NodeHttpOptions {
  /** Sent as `Authorization: Bearer TOKEN`. */
  token?: string;
  signal?: AbortSignal;
}

/**
 * Connects to the bridge's WebSocket route (`ws://HOST:PORT/ws/services/NAME`) and returns a
 * client on it: each WebSocket message carries one varlink message, pipelining and `more` included.
 */
export function connectWebSocket(url: string, options: WebSocketConnectOptions = {}): Promise<MessageConnection> {
  const target = new URL(url);
  const secure = target.protocol === "wss:" || target.protocol === "https:";
  if (!secure && target.protocol !== "ws:" && target.protocol !== "http:")
    return Promise.reject(new ConnectionError(`not a WebSocket URL: ${url}`));
  const key = newKey();
  return new Promise((resolve, reject) => {
    const request = (secure ? https : http).request({
      hostname: target.hostname.replace(/^\[|\]$/g, ""),
      port: target.port || (secure ? 443 : 80),
      path: `${target.pathname}${target.search}`,
      signal: options.signal,
      ...(secure ? { ca: options.ca, cert: options.cert, key: options.key } : {}),
      headers: {
        Connection: "Upgrade",
        Upgrade: "websocket",
        "Sec-WebSocket-Version": "13",
        "Sec-WebSocket-Key": key,
        ...(options.token !== undefined ? { Authorization: `Bearer ${options.token}` } : {}),
      },
    });
    request.on("upgrade", (response, socket, head) => {
      if (response.headers["sec-websocket-accept"] !== acceptKey(key)) {
        socket.destroy();
        return reject(new ConnectionError(`${url}: the server's WebSocket handshake is wrong`));
      }
      const channel = new WebSocketChannel(socket, { role: "client" }, head);
      resolve(
        new MessageConnection({
          send: (text) => channel.sendText(text),
          close: () => channel.close(1000),
          pause: () => socket.pause(),
          resume: () => socket.resume(),
          listen: (onMessage, onClose) => {
            channel.onMessage = (message) =>
              onMessage("text" in message ? message.text : message.binary.toString("utf8"));
            channel.onClose = (code, reason) => onClose(reason || `code ${code}`);
          },
        }),
      );
    });
    request.on("response", (response) => {
      let body = "";
      response.setEncoding("utf8").on("data", (text: string) => (body += text.slice(0, 500)));
      response.on("end", () =>
        reject(new ConnectionError(`${url}: HTTP ${response.statusCode}${body ? `: ${body.trim()}` : ""}`)),
      );
    });
    request.on("error", (error) => reject(new ConnectionError(`${url}: ${inWords(error).message}`, { cause: error })));
    request.end();
  });
}
