import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

// Certificates made for one test run with openssl: a CA, a server certificate for 127.0.0.1
// and localhost, a client certificate the CA signed, and one from another CA.

export interface TestCertificates {
  folder: string;
  /** Paths, for the bridge's command line. */
  files: { ca: string; serverCert: string; serverKey: string };
  /** PEM texts, for clients. */
  ca: string;
  client: { cert: string; key: string };
  stranger: { cert: string; key: string };
}

function openssl(args: string[], cwd: string): void {
  execFileSync("openssl", args, { cwd, stdio: "pipe" });
}

/** An EC P-256 key and a certificate signed by `ca` (or self-signed), valid for a day. */
function issue(cwd: string, name: string, subject: string, extensions: string, ca?: string): void {
  writeFileSync(path.join(cwd, `${name}.ext`), extensions);
  openssl(
    [
      "req",
      "-new",
      "-newkey",
      "ec",
      "-pkeyopt",
      "ec_paramgen_curve:P-256",
      "-nodes",
      "-keyout",
      `${name}.key`,
      "-out",
      `${name}.csr`,
      "-subj",
      subject,
    ],
    cwd,
  );
  const signer =
    ca !== undefined ? ["-CA", `${ca}.pem`, "-CAkey", `${ca}.key`, "-CAcreateserial"] : ["-signkey", `${name}.key`];
  openssl(
    ["x509", "-req", "-in", `${name}.csr`, ...signer, "-out", `${name}.pem`, "-days", "1", "-extfile", `${name}.ext`],
    cwd,
  );
}

export function makeCertificates(): TestCertificates {
  const folder = mkdtempSync(path.join(tmpdir(), "varlink-ts-tls-"));
  issue(
    folder,
    "ca",
    "/CN=varlink-ts test CA",
    "basicConstraints=critical,CA:TRUE\nkeyUsage=critical,keyCertSign,cRLSign\n",
  );
  issue(
    folder,
    "server",
    "/CN=localhost",
    "subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n",
    "ca",
  );
  issue(folder, "client", "/CN=varlink-ts test client", "extendedKeyUsage=clientAuth\n", "ca");
  issue(
    folder,
    "other-ca",
    "/CN=another CA",
    "basicConstraints=critical,CA:TRUE\nkeyUsage=critical,keyCertSign,cRLSign\n",
  );
  issue(folder, "stranger", "/CN=a stranger", "extendedKeyUsage=clientAuth\n", "other-ca");
  const read = (file: string): string => readFileSync(path.join(folder, file), "utf8");
  return {
    folder,
    files: {
      ca: path.join(folder, "ca.pem"),
      serverCert: path.join(folder, "server.pem"),
      serverKey: path.join(folder, "server.key"),
    },
    ca: read("ca.pem"),
    client: { cert: read("client.pem"), key: read("client.key") },
    stranger: { cert: read("stranger.pem"), key: read("stranger.key") },
  };
}
