import { createSecureContext } from "node:tls";
import { UsageError } from "../io.js";
import { readOptionFile } from "../option-file.js";

/** What HTTPS needs: the certificate (with its chain), its key, and the CA client certificates must be signed by. */
export interface TlsSettings {
  cert: string;
  key: string;
  /** Set: clients must present a certificate this CA signed (mutual TLS). */
  ca?: string | undefined;
}

/** Reads and checks --tls-cert, --tls-key and --client-ca; undefined when none is given. */
export async function loadTls(files: {
  cert?: string | undefined;
  key?: string | undefined;
  clientCa?: string | undefined;
}): Promise<TlsSettings | undefined> {
  if (files.cert === undefined && files.key === undefined) {
    if (files.clientCa !== undefined)
      throw new UsageError("--client-ca needs --tls-cert and --tls-key: client certificates are asked for over TLS");
    return undefined;
  }
  if (files.cert === undefined || files.key === undefined) throw new UsageError("--tls-cert and --tls-key go together");
  const settings: TlsSettings = {
    cert: await readPem(files.cert, "--tls-cert"),
    key: await readPem(files.key, "--tls-key"),
    ca: files.clientCa !== undefined ? await readPem(files.clientCa, "--client-ca") : undefined,
  };
  try {
    createSecureContext(settings);
  } catch (error) {
    throw new UsageError(
      `the TLS settings do not work together: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  return settings;
}

async function readPem(file: string, option: string): Promise<string> {
  const text = await readOptionFile(file, option);
  if (!text.includes("-----BEGIN ")) throw new UsageError(`${option}: ${file} is not a PEM file`);
  return text;
}
