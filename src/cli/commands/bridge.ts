import { isIP } from "node:net";
import { Duplex } from "node:stream";
import { parseAddress } from "@varlink-ts/runtime";
import { listenFailureReason } from "@varlink-ts/runtime/wire";
import { createHttpBridge } from "../bridge/http-bridge.js";
import type { BridgeOptions } from "../bridge/options.js";
import { canonicalHost } from "../bridge/request-guard.js";
import { StdioBridge } from "../bridge/stdio-bridge.js";
import { readOptionFile } from "../option-file.js";
import { loadTls } from "../bridge/tls.js";
import { loadExplorerAssets } from "../bridge/explorer-assets.js";
import { loadInterfaceFiles } from "../bridge/interface-files.js";
import { exitCodes, untilAborted, UsageError, type CliIo } from "../io.js";
import type { optionTables } from "../options/commands.js";
import type { OptionValues } from "../options/table.js";

export type HttpBridgeCommandOptions = OptionValues<(typeof optionTables)["bridge http"]>;

/** NAME=ADDRESS pairs, each address checked now rather than at the first request. */
export function parseServices(pairs: readonly string[]): Map<string, string> {
  const services = new Map<string, string>();
  for (const pair of pairs) {
    const equals = pair.indexOf("=");
    if (equals <= 0)
      throw new UsageError(
        `--service takes NAME=ADDRESS, e.g. userdb=unix:/run/systemd/userdb/io.systemd.Multiplexer (got '${pair}')`,
      );
    const name = pair.slice(0, equals);
    const address = pair.slice(equals + 1);
    let kind: string;
    try {
      kind = parseAddress(address).kind;
    } catch (error) {
      throw new UsageError(error instanceof Error ? error.message : String(error));
    }
    // A bridge forwards the raw protocol; another HTTP bridge does not speak it.
    if (kind === "bridge")
      throw new UsageError(
        `invalid varlink address '${address}' for --service: a bridge forwards to sockets and programs, not to another HTTP bridge`,
      );
    if (services.has(name)) throw new UsageError(`the service name '${name}' is given twice`);
    services.set(name, address);
  }
  return services;
}

function parseListen(listen: string): { host: string; port: number } {
  const match = /^(?:\[([^\]]+)\]|([^:]+)):(\d+)$/.exec(listen);
  const port = Number(match?.[3]);
  if (!match || !(port >= 0 && port < 65536))
    throw new UsageError(`--listen takes HOST:PORT, e.g. 127.0.0.1:8080 (got '${listen}')`);
  return { host: match[1] ?? match[2]!, port };
}

function isLoopback(host: string): boolean {
  return host === "localhost" || host === "::1" || (isIP(host) === 4 && host.startsWith("127."));
}

/** --allow-host names in the canonical form requests' Host headers are compared in. */
function parseAllowedHosts(names: readonly string[]): string[] {
  return names.map((name) => {
    const canonical = canonicalHost(name);
    if (canonical === undefined || canonical.host !== canonical.hostname) {
      throw new UsageError(
        `--allow-host takes a host name or address without a port, e.g. bridge.example.org or 192.0.2.7 (got '${name}')`,
      );
    }
    return canonical.hostname;
  });
}

/** `varlink-ts bridge http`: serves until interrupted. */
export async function runHttpBridge(options: HttpBridgeCommandOptions, io: CliIo): Promise<number> {
  const services = parseServices(options.service);
  if (services.size === 0) throw new UsageError("name at least one service to bridge with --service NAME=ADDRESS");
  const { host, port } = parseListen(options.listen);
  if (!isLoopback(host) && !options.allowRemote) {
    throw new UsageError(
      `${host} is not a loopback address: other machines could call your services. Add --allow-remote (and --token-file) if that is meant`,
    );
  }
  const allowedHosts = parseAllowedHosts(options.allowHost);
  if (!isLoopback(host) && allowedHosts.length === 0) {
    throw new UsageError(
      "--allow-remote: name the hosts clients will reach the bridge by with --allow-host NAME; requests naming any other host are refused (DNS rebinding)",
    );
  }
  if (!(options.headerTimeout > 0) || !(options.bodyTimeout > 0))
    throw new UsageError("--header-timeout and --body-timeout take a number of seconds above 0");
  if (options.bodyTimeout < options.headerTimeout)
    throw new UsageError("--body-timeout covers the headers too: it cannot be shorter than --header-timeout");
  const base = options.base.replace(/\/+$/, "");
  if (base !== "" && !base.startsWith("/")) throw new UsageError("--base is a path, like /varlink");
  const tokenText =
    options.tokenFile !== undefined
      ? (await readOptionFile(options.tokenFile, "--token-file")).trim()
      : io.env["VARLINK_TS_BRIDGE_TOKEN"];
  if (tokenText === "") throw new UsageError("the bridge token is empty");
  const tls = await loadTls({ cert: options.tlsCert, key: options.tlsKey, clientCa: options.clientCa });
  if (!isLoopback(host) && tokenText === undefined && tls?.ca === undefined && !options.insecure) {
    throw new UsageError(
      `listening on ${host} with no authentication would let anyone who can reach it call your services: require a token (--token-file) or client certificates (--client-ca), or add --insecure if that is meant`,
    );
  }
  const bridgeOptions: BridgeOptions = {
    services,
    base,
    token: tokenText,
    maxBody: options.maxBody,
    allowedOrigins: options.allowOrigin,
    allowedHosts,
    // --timeout infinity is no limit, as no --timeout.
    callTimeout: options.timeout !== undefined && Number.isFinite(options.timeout) ? options.timeout : undefined,
    headerTimeout: options.headerTimeout,
    bodyTimeout: options.bodyTimeout,
    tls,
    interfaceFiles: await loadInterfaceFiles(options.interfaceFile, services),
    explorer: options.ui ? await loadExplorerAssets() : undefined,
  };
  const bridge = createHttpBridge(bridgeOptions);
  await new Promise<void>((resolve, reject) => {
    bridge.server.once(
      "error",
      (error: NodeJS.ErrnoException) =>
        void listenFailureReason(error).then((reason) =>
          reject(new UsageError(`cannot listen on ${options.listen}: ${reason}`)),
        ),
    );
    bridge.server.listen(port, host, () => resolve());
  });
  const address = bridge.server.address();
  const shownPort = typeof address === "object" && address !== null ? address.port : port;
  const shownHost = host.includes(":") ? `[${host}]` : host;
  const guards = [
    tokenText !== undefined ? "bearer token" : undefined,
    tls?.ca !== undefined ? "client certificate" : undefined,
  ].filter((guard) => guard !== undefined);
  io.stderr(
    `varlink-ts bridge: listening on ${tls ? "https" : "http"}://${shownHost}:${shownPort}${base} for ${[...services.keys()].join(", ")}${guards.length > 0 ? ` (${guards.join(" and ")} required)` : ""}\n`,
  );
  if (options.ui)
    io.stderr(`varlink-ts bridge: the explorer is at ${tls ? "https" : "http"}://${shownHost}:${shownPort}${base}/\n`);
  await untilAborted(io.signal);
  await bridge.close();
  return exitCodes.ok;
}

/** `varlink-ts bridge stdio`: varlink on stdin/stdout, forwarded to the services. */
export async function runStdioBridge(
  options: OptionValues<(typeof optionTables)["bridge stdio"]>,
  io: CliIo,
): Promise<number> {
  const services = parseServices(options.service);
  if (services.size === 0 && options.resolver === undefined)
    throw new UsageError("name the services with --service NAME=ADDRESS, or a resolver with --resolver ADDRESS");
  const bridge = new StdioBridge({ services, resolver: options.resolver, log: (message) => io.stderr(`${message}\n`) });
  await bridge.serve(Duplex.from({ readable: process.stdin, writable: process.stdout }), io.signal);
  return exitCodes.ok;
}
