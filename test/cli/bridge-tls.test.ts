import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { connectWebSocket, ConnectionError, HttpConnection } from "@varlink-ts/runtime";
import { startBridge, type BridgeProcess } from "../helpers/bridge.js";
import { makeCertificates, type TestCertificates } from "../helpers/certificates.js";
import { cliProcess } from "../helpers/cli.js";
import { startServer, testService, type TestServer } from "../helpers/runtime.js";

// The bridge over TLS and mutual TLS, with certificates made for the run, and the rule that a
// bridge beyond loopback needs some authentication.

const echo = { value: "over TLS" };

interface Bridged {
  certificates: TestCertificates;
  service: TestServer;
  bridge: BridgeProcess;
}

/** For the describe block it is called in: certificates, a runtime service, and a bridge to it started with `args`. */
function bridged(args: (files: TestCertificates["files"]) => string[]): Bridged {
  const state = {} as Bridged;
  before(async () => {
    state.certificates = makeCertificates();
    state.service = await startServer([testService()]);
    state.bridge = await startBridge(["--service", `test=${state.service.address}`, ...args(state.certificates.files)]);
  });
  after(async () => {
    await state.bridge.stop();
    await state.service.server.close();
  });
  return state;
}

describe("the bridge over TLS (HTTPS and WSS)", () => {
  const state = bridged((files) => ["--tls-cert", files.serverCert, "--tls-key", files.serverKey]);

  test("it says it listens on https://", () => {
    assert.match(state.bridge.url, /^https:\/\/127\.0\.0\.1:\d+$/);
  });

  test("a client that trusts the CA calls over HTTPS", async (t) => {
    const client = new HttpConnection(state.bridge.url, { ca: state.certificates.ca });
    t.after(() => client.close());
    assert.deepEqual(await client.call("org.example.test.Echo", echo), echo);
  });

  test("a client that does not trust the CA refuses the bridge's certificate", async (t) => {
    const client = new HttpConnection(state.bridge.url);
    t.after(() => client.close());
    await assert.rejects(
      client.call("org.example.test.Echo", echo),
      (e) => e instanceof ConnectionError && /the bridge's certificate is not trusted/.test(e.message),
    );
  });

  test("a client that trusts the CA opens a WebSocket over WSS", async (t) => {
    const socket = await connectWebSocket(`wss://127.0.0.1:${state.bridge.port}/ws/services/test`, {
      ca: state.certificates.ca,
    });
    t.after(() => socket.close());
    assert.deepEqual(await socket.call("org.example.test.Echo", echo), echo);
  });
});

describe("the bridge with mutual TLS", () => {
  const state = bridged((files) => [
    "--tls-cert",
    files.serverCert,
    "--tls-key",
    files.serverKey,
    "--client-ca",
    files.ca,
  ]);

  test("a client with a certificate the CA signed calls over HTTPS", async (t) => {
    const client = new HttpConnection(state.bridge.url, { ca: state.certificates.ca, ...state.certificates.client });
    t.after(() => client.close());
    assert.deepEqual(await client.call("org.example.test.Echo", echo), echo);
  });

  test("a client with a certificate the CA signed opens a WebSocket", async (t) => {
    const socket = await connectWebSocket(`wss://127.0.0.1:${state.bridge.port}/ws/services/test`, {
      ca: state.certificates.ca,
      ...state.certificates.client,
    });
    t.after(() => socket.close());
    assert.deepEqual(await socket.call("org.example.test.Echo", echo), echo);
  });

  test("a client without a certificate is refused in the handshake", async (t) => {
    const client = new HttpConnection(state.bridge.url, { ca: state.certificates.ca });
    t.after(() => client.close());
    await assert.rejects(
      client.call("org.example.test.Echo", echo),
      (e) => e instanceof ConnectionError && /requires a client certificate/.test(e.message),
    );
  });

  test("a client whose certificate another CA signed is refused", async (t) => {
    const client = new HttpConnection(state.bridge.url, { ca: state.certificates.ca, ...state.certificates.stranger });
    t.after(() => client.close());
    await assert.rejects(client.call("org.example.test.Echo", echo), (e) => e instanceof ConnectionError);
  });

  test("a WebSocket without a certificate is refused", async () => {
    await assert.rejects(
      connectWebSocket(`wss://127.0.0.1:${state.bridge.port}/ws/services/test`, { ca: state.certificates.ca }),
      (e) => e instanceof ConnectionError && /requires a client certificate/.test(e.message),
    );
  });
});

describe("the bearer token over TLS", () => {
  const state = bridged((files) => {
    const tokenFile = path.join(mkdtempSync(path.join(tmpdir(), "varlink-ts-token-")), "token");
    writeFileSync(tokenFile, "s3cret\n");
    return ["--tls-cert", files.serverCert, "--tls-key", files.serverKey, "--token-file", tokenFile];
  });

  test("HTTPS with the token is served", async (t) => {
    const client = new HttpConnection(state.bridge.url, { ca: state.certificates.ca, token: "s3cret" });
    t.after(() => client.close());
    assert.deepEqual(await client.call("org.example.test.Echo", echo), echo);
  });

  test("HTTPS without the token is 401", async (t) => {
    const client = new HttpConnection(state.bridge.url, { ca: state.certificates.ca });
    t.after(() => client.close());
    await assert.rejects(
      client.call("org.example.test.Echo", echo),
      (e) => e instanceof ConnectionError && /HTTP 401/.test(e.message),
    );
  });

  test("WSS with the token is served", async (t) => {
    const socket = await connectWebSocket(`wss://127.0.0.1:${state.bridge.port}/ws/services/test`, {
      ca: state.certificates.ca,
      token: "s3cret",
    });
    t.after(() => socket.close());
    assert.deepEqual(await socket.call("org.example.test.Echo", echo), echo);
  });

  test("WSS without the token is 401", async () => {
    await assert.rejects(
      connectWebSocket(`wss://127.0.0.1:${state.bridge.port}/ws/services/test`, { ca: state.certificates.ca }),
      /HTTP 401/,
    );
  });
});

describe("authentication beyond loopback", () => {
  const remote = [
    "--listen",
    "0.0.0.0:0",
    "--allow-remote",
    "--allow-host",
    "bridge.test",
    "--service",
    "test=unix:/nowhere.sock",
  ];

  test("with neither a token nor client certificates the bridge refuses to start", async () => {
    const run = await cliProcess(["bridge", "http", ...remote]);
    assert.equal(run.code, 2);
    assert.match(run.stderr, /no authentication.*--token-file.*--client-ca.*--insecure/);
  });

  test("--insecure lets it start anyway", async (t) => {
    const bridge = await startBridge([...remote, "--insecure"]);
    t.after(() => bridge.stop());
    assert.match(bridge.url, /^http:\/\/0\.0\.0\.0:\d+$/);
  });

  test("a token is authentication enough", async (t) => {
    const bridge = await startBridge(remote, { VARLINK_TS_BRIDGE_TOKEN: "s3cret" });
    t.after(() => bridge.stop());
    assert.match(bridge.stderr(), /bearer token required/);
  });

  test("client certificates are authentication enough", async (t) => {
    const certificates = makeCertificates();
    const bridge = await startBridge([
      ...remote,
      "--tls-cert",
      certificates.files.serverCert,
      "--tls-key",
      certificates.files.serverKey,
      "--client-ca",
      certificates.files.ca,
    ]);
    t.after(() => bridge.stop());
    assert.match(bridge.stderr(), /client certificate required/);
  });
});

describe("security settings that cannot work", () => {
  let certificates: TestCertificates;
  before(() => {
    certificates = makeCertificates();
  });
  const bridge = (...args: string[]) => cliProcess(["bridge", "http", "--service", "test=unix:/nowhere.sock", ...args]);

  test("--tls-cert without --tls-key is a usage error", async () => {
    const run = await bridge("--tls-cert", certificates.files.serverCert);
    assert.equal(run.code, 2);
    assert.match(run.stderr, /--tls-cert and --tls-key go together/);
  });

  test("--client-ca without a certificate of the bridge's own is a usage error", async () => {
    const run = await bridge("--client-ca", certificates.files.ca);
    assert.equal(run.code, 2);
    assert.match(run.stderr, /--client-ca needs --tls-cert and --tls-key/);
  });

  test("a certificate file that does not exist is named", async () => {
    const run = await bridge("--tls-cert", "/nowhere/cert.pem", "--tls-key", certificates.files.serverKey);
    assert.equal(run.code, 2);
    assert.match(run.stderr, /--tls-cert: cannot read \/nowhere\/cert\.pem: no such file/);
  });

  test("a file that is not PEM is named", async () => {
    const run = await bridge(
      "--tls-cert",
      certificates.files.serverCert,
      "--tls-key",
      path.join(certificates.folder, "server.ext"),
    );
    assert.equal(run.code, 2);
    assert.match(run.stderr, /--tls-key: .*server\.ext is not a PEM file/);
  });

  test("a token file that cannot be read is named", async () => {
    const run = await bridge("--token-file", "/nowhere/token");
    assert.equal(run.code, 2);
    assert.match(run.stderr, /--token-file: cannot read \/nowhere\/token: no such file/);
  });

  test("a key that is not the certificate's is refused", async () => {
    const run = await bridge(
      "--tls-cert",
      certificates.files.serverCert,
      "--tls-key",
      path.join(certificates.folder, "client.key"),
    );
    assert.equal(run.code, 2);
    assert.match(run.stderr, /the TLS settings do not work together/);
  });
});
