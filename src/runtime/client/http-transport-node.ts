import http from "node:http";
import https from "node:https";
import type { HttpReply, HttpRequest, HttpTransport } from "./http-transport.js";

// HttpConnection's transport in Node: node:http(s) with a keep-alive agent of its own, so that
// calls reuse connections (and the bridge can keep one varlink connection per HTTP connection).

export interface NodeHttpOptions {
  /** CA certificates (PEM) to trust for an https:// bridge besides the system's. */
  ca?: string | Buffer | Array<string | Buffer>;
  /** A client certificate and its key (PEM), for bridges that ask for one (mutual TLS). */
  cert?: string | Buffer;
  key?: string | Buffer;
}

export function nodeHttpTransport(options: NodeHttpOptions = {}): HttpTransport {
  const agents = {
    "http:": new http.Agent({ keepAlive: true }),
    "https:": new https.Agent({ keepAlive: true, ...options }),
  };
  return {
    send: (request) => send(request, agents),
    close: () => {
      agents["http:"].destroy();
      agents["https:"].destroy();
    },
  };
}

function send({ url, headers, body, signal }: HttpRequest, agents: { "http:": http.Agent; "https:": https.Agent }): Promise<HttpReply> {
  const target = new URL(url);
  if (target.protocol !== "http:" && target.protocol !== "https:") return Promise.reject(new TypeError(`not an http(s) URL: ${url}`));
  const module = target.protocol === "https:" ? https : http;
  return new Promise((resolve, reject) => {
    // Passing `signal` to request() costs about a fifth of a call's time; only calls with a
    // timeout or a signal of their own pay for it.
    const request = module.request(target, { method: "POST", headers: { ...headers, "Content-Length": Buffer.byteLength(body) }, agent: agents[target.protocol as "http:" | "https:"], ...(signal ? { signal } : {}) });
    request.on("response", (response) => resolve({ status: response.statusCode ?? 0, body: response }));
    request.on("error", reject);
    request.end(body);
  });
}
