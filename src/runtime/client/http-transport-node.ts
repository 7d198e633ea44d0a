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

/**
 * Idle kept-alive sockets close after this long, before a server's keep-alive timeout (5 s in
 * Node's) can close them under a new request; a server's shorter Keep-Alive hint wins. In-use
 * sockets are not affected: a stream may wait between replies as long as it likes.
 */
const idleSocketTimeout = 4000;

export function nodeHttpTransport(options: NodeHttpOptions = {}): HttpTransport {
  const agents = {
    "http:": new http.Agent({ keepAlive: true, timeout: idleSocketTimeout }),
    "https:": new https.Agent({ keepAlive: true, timeout: idleSocketTimeout, ...options }),
  };
  return {
    send: (request) => send(request, agents),
    close: () => {
      agents["http:"].destroy();
      agents["https:"].destroy();
    },
  };
}

function send(
  sent: HttpRequest,
  agents: { "http:": http.Agent; "https:": https.Agent },
  mayRetry = true,
): Promise<HttpReply> {
  const { url, headers, body, signal } = sent;
  const target = new URL(url);
  if (target.protocol !== "http:" && target.protocol !== "https:")
    return Promise.reject(new TypeError(`not an http(s) URL: ${url}`));
  const module = target.protocol === "https:" ? https : http;
  return new Promise((resolve, reject) => {
    // Passing `signal` to request() costs about a fifth of a call's time; only calls with a
    // timeout or a signal of their own pay for it.
    const request = module.request(target, {
      method: "POST",
      headers: { ...headers, "Content-Length": Buffer.byteLength(body) },
      agent: agents[target.protocol as "http:" | "https:"],
      ...(signal ? { signal } : {}),
    });
    let answered = false;
    request.on("response", (response) => {
      answered = true;
      resolve({ status: response.statusCode ?? 0, body: response });
    });
    request.on("error", (error: NodeJS.ErrnoException) => {
      // A kept-alive socket the server closed just as this request went out: the server never
      // read it, so it is sent once more on a fresh socket (as Node's documentation advises).
      if (mayRetry && !answered && request.reusedSocket && (error.code === "ECONNRESET" || error.code === "EPIPE"))
        return resolve(send(sent, agents, false));
      reject(inWords(error));
    });
    request.end(body);
  });
}

/** TLS and socket failures as a person would say them; the original stays as the cause. */
const reasons: Record<string, string> = {
  ECONNREFUSED: "connection refused",
  ECONNRESET: "the connection was closed before the reply",
  ENOTFOUND: "no such host",
  DEPTH_ZERO_SELF_SIGNED_CERT:
    "the bridge's certificate is not trusted: it signed itself (give its CA with the `ca` option)",
  SELF_SIGNED_CERT_IN_CHAIN: "the bridge's certificate is not trusted (give its CA with the `ca` option)",
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: "the bridge's certificate is not trusted (give its CA with the `ca` option)",
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: "the bridge's certificate is not trusted (give its CA with the `ca` option)",
  CERT_HAS_EXPIRED: "the bridge's certificate has expired",
  ERR_TLS_CERT_ALTNAME_INVALID: "the bridge's certificate is for another host",
  ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED: "the bridge requires a client certificate (mutual TLS)",
  ERR_SSL_TLSV1_ALERT_UNKNOWN_CA: "the bridge refused the client certificate: it does not know its CA",
  ERR_SSL_SSLV3_ALERT_BAD_CERTIFICATE: "the bridge refused the client certificate",
};

export function inWords(error: NodeJS.ErrnoException): Error {
  const reason = error.code !== undefined ? reasons[error.code] : undefined;
  if (reason === undefined) return error;
  return Object.assign(new Error(reason, { cause: error }), { code: error.code });
}
