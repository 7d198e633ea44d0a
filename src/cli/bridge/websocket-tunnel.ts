import type { IncomingMessage } from "node:http";
import type { Duplex } from "node:stream";
import { acceptKey, defaultMaxMessageSize, openTransport, WebSocketChannel } from "@varlink-ts/runtime/wire";

// WebSocket mode: GET <base>/ws/services/NAME tunnels the raw protocol to the service. Each
// WebSocket text message carries one varlink message (its NUL is added on the way in and taken
// off on the way out); binary messages pass through as raw bytes. Pipelining and `more` work as
// on the socket, because the bytes are the service's own.
//
// Backpressure both ways: while the client does not read what the tunnel sends it, nothing more
// is read from the service nor from the client (whose pings would otherwise pile up pongs); while
// the service does not read, nothing more is read from the client. So a connection holds at most
// one message in flight each way beyond what the sockets themselves buffer.

/** Sec-WebSocket-Key: 16 random bytes in base64 (RFC 6455 §4.2.1). */
const keyPattern = /^[A-Za-z0-9+/]{21}[AQgw]==$/;

/** Why a request cannot open a WebSocket (RFC 6455 §4.2.1), or undefined when it can. */
export function handshakeProblem(
  request: IncomingMessage,
): { status: number; reason: string; headers?: Record<string, string> } | undefined {
  if (request.method !== "GET") return { status: 400, reason: "a WebSocket handshake is a GET request" };
  if (request.httpVersionMajor < 1 || (request.httpVersionMajor === 1 && request.httpVersionMinor < 1))
    return { status: 400, reason: "a WebSocket handshake needs HTTP/1.1" };
  const key = request.headers["sec-websocket-key"];
  if (typeof key !== "string" || !keyPattern.test(key.trim()))
    return { status: 400, reason: "Sec-WebSocket-Key must be 16 bytes in base64" };
  if (request.headers["sec-websocket-version"] !== "13") {
    return { status: 426, reason: "only WebSocket version 13 is spoken", headers: { "Sec-WebSocket-Version": "13" } };
  }
  return undefined;
}

export function openTunnel(
  request: IncomingMessage,
  socket: Duplex,
  head: Buffer,
  address: string,
  refuse: (status: number, reason: string) => void,
): void {
  const key = String(request.headers["sec-websocket-key"]).trim();
  socket.pause();
  openTransport(address).then(
    ({ socket: service, server }) => {
      socket.write(
        `HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${acceptKey(key)}\r\n\r\n`,
      );
      const channel = new WebSocketChannel(socket, { role: "server" }, head);
      socket.resume();
      // The client cannot take more: stop reading from both sides until it drains.
      let clientFull = false;
      const holdForClient = (): void => {
        if (clientFull) return;
        clientFull = true;
        service.pause();
        socket.pause();
      };
      socket.on("drain", () => {
        clientFull = false;
        service.resume();
        socket.resume();
      });
      // The service cannot take more: stop reading from the client until it drains.
      service.on("drain", () => {
        if (!clientFull) socket.resume();
      });
      let pending: Buffer[] = [];
      let pendingLength = 0;
      service.on("data", (chunk: Buffer) => {
        let start = 0;
        for (let end = chunk.indexOf(0); end >= 0; end = chunk.indexOf(0, start)) {
          const part = chunk.subarray(start, end);
          const message = pendingLength === 0 ? part : Buffer.concat([...pending, part]);
          pending = [];
          pendingLength = 0;
          if (!channel.sendText(message.toString("utf8"))) holdForClient();
          start = end + 1;
        }
        if (start < chunk.length) {
          pending.push(chunk.subarray(start));
          pendingLength += chunk.length - start;
        }
        if (pendingLength > defaultMaxMessageSize) {
          channel.close(1009, "the service sent a message over 16 MiB");
          service.destroy();
        }
      });
      channel.onMessage = (message) => {
        const written =
          "binary" in message
            ? service.write(message.binary)
            : service.write(message.text.endsWith("\0") ? message.text : `${message.text}\0`);
        if (!written) socket.pause();
      };
      // A WebSocket has no half-close: its client is gone, and so is the service's connection,
      // once what the client sent went out (the service then cancels the calls still running).
      channel.onClose = () => service.end(() => service.destroy());
      service.on("close", () => {
        channel.close(1000, "the service closed the connection");
        void server?.stop();
      });
      service.on("error", () => service.destroy());
    },
    (error: Error) => refuse(502, `the service is unreachable: ${error.message}`),
  );
}
