import type { IncomingMessage } from "node:http";
import type { Duplex } from "node:stream";
import { acceptKey, openTransport, WebSocketChannel } from "@varlink-ts/runtime/wire";

// WebSocket mode: GET <base>/ws/services/NAME tunnels the raw protocol to the service. Each
// WebSocket text message carries one varlink message (its NUL is added on the way in and taken
// off on the way out); binary messages pass through as raw bytes. Pipelining and `more` work as
// on the socket, because the bytes are the service's own.

const maxPending = 16 * 1024 * 1024;

export function openTunnel(request: IncomingMessage, socket: Duplex, head: Buffer, address: string, refuse: (status: number, reason: string) => void): void {
  const key = request.headers["sec-websocket-key"];
  if (typeof key !== "string" || request.headers["sec-websocket-version"] !== "13") return refuse(400, "not a WebSocket version 13 handshake");
  socket.pause();
  openTransport(address).then(
    ({ socket: service, server }) => {
      socket.write(`HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${acceptKey(key)}\r\n\r\n`);
      const channel = new WebSocketChannel(socket, { role: "server" }, head);
      socket.resume();
      let pending: Buffer = Buffer.alloc(0);
      service.on("data", (chunk: Buffer) => {
        pending = pending.length === 0 ? chunk : Buffer.concat([pending, chunk]);
        let start = 0;
        for (let end = pending.indexOf(0); end >= 0; end = pending.indexOf(0, start)) {
          channel.sendText(pending.subarray(start, end).toString("utf8"));
          start = end + 1;
        }
        pending = pending.subarray(start);
        if (pending.length > maxPending) {
          channel.close(1009, "the service sent a message over 16 MiB");
          service.destroy();
        }
      });
      channel.onMessage = (message) => {
        if ("binary" in message) service.write(message.binary);
        else service.write(message.text.endsWith("\0") ? message.text : `${message.text}\0`);
      };
      channel.onClose = () => service.end();
      service.on("close", () => {
        channel.close(1000, "the service closed the connection");
        void server?.stop();
      });
      service.on("error", () => service.destroy());
    },
    (error: Error) => refuse(502, `the service is unreachable: ${error.message}`),
  );
}
