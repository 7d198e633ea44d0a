import type { Socket } from "node:net";
import { SocketConnection } from "@varlink-ts/runtime";

// One varlink connection per HTTP connection and service, opened on the first request that needs
// it and closed with the HTTP connection. Requests on one keep-alive connection reuse it (in
// order, as varlink pipelines them); clients never share one, so a slow call holds up only its
// own client; and a client that goes away leaves nothing open at the service, which matters to
// services such as systemd-userdbd that give each connection a worker process.

/** Replies of a `more` call the bridge holds unsent before it stops reading from the service. */
const streamHighWaterMark = 4;

export class ServiceConnections {
  private readonly open = new Map<string, Promise<SocketConnection>>();
  private closed = false;

  /** `addresses` are the bridged services by name; only they can be reached. */
  constructor(private readonly addresses: ReadonlyMap<string, string>) {}

  /** The connection to `service` for this HTTP connection, opened again if the last one was lost. */
  connection(service: string): Promise<SocketConnection> {
    if (this.closed) return Promise.reject(new Error("the HTTP connection is closed"));
    const existing = this.open.get(service);
    if (existing !== undefined) return existing;
    const address = this.addresses.get(service);
    if (address === undefined) return Promise.reject(new Error(`no service named '${service}' is bridged`));
    // A stream's replies are read from the service only as fast as the HTTP client takes them.
    const opening = SocketConnection.connect(address, { highWaterMark: streamHighWaterMark });
    this.open.set(service, opening);
    const forget = (): void => {
      if (this.open.get(service) === opening) this.open.delete(service);
    };
    opening.then((connection) => void connection.closed.then(forget), forget);
    return opening;
  }

  close(): void {
    this.closed = true;
    for (const opening of this.open.values())
      opening.then(
        (connection) => void connection.close(),
        () => {},
      );
    this.open.clear();
  }
}

/** The service connections of each HTTP connection (its socket), made on first use. */
export class ConnectionsBySocket {
  private readonly bySocket = new WeakMap<Socket, ServiceConnections>();
  private readonly live = new Set<ServiceConnections>();

  constructor(private readonly addresses: ReadonlyMap<string, string>) {}

  for(socket: Socket): ServiceConnections {
    let connections = this.bySocket.get(socket);
    if (connections === undefined) {
      const made = new ServiceConnections(this.addresses);
      connections = made;
      this.bySocket.set(socket, made);
      this.live.add(made);
      socket.once("close", () => {
        made.close();
        this.live.delete(made);
      });
    }
    return connections;
  }

  closeAll(): void {
    for (const connections of this.live) connections.close();
    this.live.clear();
  }
}
