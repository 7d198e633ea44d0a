import { HttpConnection as PortableHttpConnection, type HttpConnectionOptions } from "./http-connection.js";
import { nodeHttpTransport, type NodeHttpOptions } from "./http-transport-node.js";
import { fetchTransport } from "./http-transport.js";

/** HttpConnection's options in Node: the portable ones, with TLS client options and keep-alive. */
export interface NodeHttpConnectionOptions extends HttpConnectionOptions, NodeHttpOptions {}

/** HttpConnection in Node: requests over node:http(s) with keep-alive, and TLS client options. */
export class HttpConnection extends PortableHttpConnection {
  constructor(base: string, options: NodeHttpConnectionOptions = {}) {
    const { ca, cert, key, ...rest } = options;
    const tls: NodeHttpOptions = {
      ...(ca !== undefined ? { ca } : {}),
      ...(cert !== undefined ? { cert } : {}),
      ...(key !== undefined ? { key } : {}),
    };
    super(base, {
      ...rest,
      transport: rest.transport ?? (rest.fetch !== undefined ? fetchTransport(rest.fetch) : nodeHttpTransport(tls)),
    });
  }
}
