// varlink addresses, as varlinkctl takes them:
// - unix:/path, unix:@abstract, tcp:host:port, tcp:[v6]:port, exec:/path [args];
// - /path or ./path: a socket or an executable, decided when connecting;
// - ssh-exec:HOST:COMMAND (COMMAND speaks varlink on its stdin/stdout) and ssh-unix:HOST:/path;
// - http://, https://, ws://, wss://: a UAPI.20 HTTP bridge.
// Anything after ';' in unix: and tcp: is a parameter list that varlink-ts ignores, as the spec allows.

/** A parsed varlink address: where a connection leads, by kind. */
export type Address =
  | { kind: "unix"; path: string; abstract: boolean }
  | { kind: "tcp"; host: string; port: number }
  | { kind: "exec"; command: string; args: string[] }
  | { kind: "path"; path: string }
  | { kind: "ssh-exec"; host: string; command: string[] }
  | { kind: "ssh-unix"; host: string; path: string }
  | { kind: "bridge"; url: URL };

/** Addresses that lead to a byte stream (everything but an HTTP bridge). */
export type StreamAddress = Exclude<Address, { kind: "bridge" }>;

/** A varlink address that cannot be read; the message names the address and what is wrong. */
export class AddressError extends Error {
  constructor(address: string, why: string) {
    super(`invalid varlink address '${address}': ${why}`);
    this.name = "AddressError";
  }
}

/** HOST:REST of an ssh-* address; a host may not look like an ssh option. */
function sshParts(address: string, rest: string, what: string): [string, string] {
  const colon = rest.indexOf(":");
  const host = colon < 0 ? "" : rest.slice(0, colon);
  if (host === "" || colon === rest.length - 1) throw new AddressError(address, `expected HOST:${what}`);
  if (host.startsWith("-") || /\s/.test(host)) throw new AddressError(address, `'${host}' is not an ssh host`);
  return [host, rest.slice(colon + 1)];
}

/** Reads a varlink address (`unix:/run/x`, `tcp:host:port`, `exec:`, `ssh-exec:`, `ssh-unix:`, a bridge URL or a socket path); throws AddressError saying why one is not. */
export function parseAddress(address: string): Address {
  if (address.startsWith("/") || address.startsWith("./")) return { kind: "path", path: address };
  const colon = address.indexOf(":");
  if (colon < 0)
    throw new AddressError(
      address,
      "expected 'unix:', 'tcp:', 'exec:', 'ssh-exec:', 'ssh-unix:', an http(s) or ws(s) URL, or a path starting with '/' or './'",
    );
  const scheme = address.slice(0, colon);
  const rest = address.slice(colon + 1);
  switch (scheme) {
    case "unix": {
      const location = rest.split(";")[0]!;
      if (location === "" || location === "@") throw new AddressError(address, "the socket path is empty");
      return location.startsWith("@")
        ? { kind: "unix", path: location.slice(1), abstract: true }
        : { kind: "unix", path: location, abstract: false };
    }
    case "tcp": {
      const location = rest.split(";")[0]!;
      const match = /^(?:\[([^\]]+)\]|([^:]+)):(\d{1,5})$/.exec(location);
      const port = Number(match?.[3]);
      if (!match || port > 65535) throw new AddressError(address, "expected 'tcp:HOST:PORT' or 'tcp:[IPV6]:PORT'");
      return { kind: "tcp", host: match[1] ?? match[2]!, port };
    }
    case "exec": {
      const words = rest
        .trim()
        .split(/\s+/)
        .filter((w) => w !== "");
      if (words.length === 0) throw new AddressError(address, "no program to start");
      return { kind: "exec", command: words[0]!, args: words.slice(1) };
    }
    case "ssh-exec": {
      const [host, command] = sshParts(address, rest, "COMMAND");
      const words = command
        .trim()
        .split(/\s+/)
        .filter((w) => w !== "");
      if (words.length === 0) throw new AddressError(address, "no command to run");
      return { kind: "ssh-exec", host, command: words };
    }
    case "ssh-unix":
    case "ssh": {
      const [host, path] = sshParts(address, rest, "/PATH");
      if (!path.startsWith("/")) throw new AddressError(address, "the socket path on the host must be absolute");
      return { kind: "ssh-unix", host, path };
    }
    case "http":
    case "https":
    case "ws":
    case "wss": {
      let url: URL;
      try {
        url = new URL(address);
      } catch {
        throw new AddressError(address, "not a URL");
      }
      if (url.username !== "" || url.password !== "")
        throw new AddressError(address, "credentials do not go in the URL (use a bearer token)");
      return { kind: "bridge", url };
    }
    default:
      throw new AddressError(address, `unknown transport '${scheme}'`);
  }
}

/** The path Node's net module takes for a unix socket; abstract names start with a NUL. */
export function unixSocketPath(address: { path: string; abstract: boolean }): string {
  return address.abstract ? `\0${address.path}` : address.path;
}

/** An address as text, as parseAddress reads it back. */
export function formatAddress(address: Address): string {
  switch (address.kind) {
    case "unix":
      return `unix:${address.abstract ? "@" : ""}${address.path}`;
    case "tcp":
      return `tcp:${address.host.includes(":") ? `[${address.host}]` : address.host}:${address.port}`;
    case "exec":
      return `exec:${[address.command, ...address.args].join(" ")}`;
    case "path":
      return address.path;
    case "ssh-exec":
      return `ssh-exec:${address.host}:${address.command.join(" ")}`;
    case "ssh-unix":
      return `ssh-unix:${address.host}:${address.path}`;
    case "bridge":
      return address.url.href;
  }
}
