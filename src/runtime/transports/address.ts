// varlink addresses: unix:/path, unix:@abstract, tcp:host:port, tcp:[v6]:port, exec:/path [args].
// Anything after ';' is a parameter list that varlink-ts ignores, as the spec allows.

export type Address =
  | { kind: "unix"; path: string; abstract: boolean }
  | { kind: "tcp"; host: string; port: number }
  | { kind: "exec"; command: string; args: string[] };

export class AddressError extends Error {
  constructor(address: string, why: string) {
    super(`invalid varlink address '${address}': ${why}`);
    this.name = "AddressError";
  }
}

export function parseAddress(address: string): Address {
  const colon = address.indexOf(":");
  if (colon < 0) throw new AddressError(address, "expected 'unix:', 'tcp:' or 'exec:' before the location");
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
      const words = rest.trim().split(/\s+/).filter((w) => w !== "");
      if (words.length === 0) throw new AddressError(address, "no program to start");
      return { kind: "exec", command: words[0]!, args: words.slice(1) };
    }
    default:
      throw new AddressError(address, `unknown transport '${scheme}'`);
  }
}

/** The path Node's net module takes for a unix socket; abstract names start with a NUL. */
export function unixSocketPath(address: { path: string; abstract: boolean }): string {
  return address.abstract ? `\0${address.path}` : address.path;
}

export function formatAddress(address: Address): string {
  switch (address.kind) {
    case "unix":
      return `unix:${address.abstract ? "@" : ""}${address.path}`;
    case "tcp":
      return `tcp:${address.host.includes(":") ? `[${address.host}]` : address.host}:${address.port}`;
    case "exec":
      return `exec:${[address.command, ...address.args].join(" ")}`;
  }
}
