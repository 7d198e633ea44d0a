import { chmod, lstat, unlink } from "node:fs/promises";
import net from "node:net";
import { Duplex } from "node:stream";
import { errorText } from "../protocol/errors.js";
import { defaultMaxMessageSize } from "../protocol/framing.js";
import { parseAddress, unixSocketPath, type StreamAddress } from "../transports/address.js";
import type { FdListener, FdPassing } from "../fds/fd-stream.js";
import { isListeningSocket } from "../transports/activation.js";
import { listenFailureReason, startListening } from "../transports/listen.js";
import { ServerConnection, type ConnectionHost } from "./connection.js";
import { resolveAndRun, runMethod, type Resolve } from "./dispatch.js";
import { chainServer, type ServerInterceptor, type ServerNext } from "../interceptors/server.js";
import type { AnyInterfaceDescriptor, HandlersFor } from "../interface/descriptor.js";
import { readInterface } from "../model/interface-text.js";
import { implement, type ImplementOptions } from "./implement.js";
import type { Handler, Logger, MethodImplementation, ServiceInterface } from "./types.js";
import { register, registryDirectory, unregister, type RegistryScope } from "./registry.js";
import { varlinkService, type ServiceInfo } from "./varlink-service.js";

/** A VarlinkServer's identity (GetInfo's vendor, product, version and url), limits, interceptors and logger. */
export interface ServerOptions extends Partial<ServiceInfo> {
  /** Largest call accepted; a larger one closes that client's connection. Default 16 MiB. */
  maxMessageSize?: number;
  /** Calls read ahead per connection before reading pauses. Default 128. */
  maxQueuedCalls?: number;
  /** File mode of unix sockets this server creates, e.g. 0o660. */
  socketMode?: number;
  /** Close the server after this many milliseconds without connections (socket activation). */
  exitOnIdle?: number;
  /** Called when the server closed itself for being idle. */
  onIdle?: () => void;
  /** Where unexpected handler failures and protocol violations are reported. Default: stderr. */
  logger?: Logger;
  /**
   * Close a connection that runs no call and sends no complete call for this many milliseconds
   * (for sockets embedded in a program, where clients come and go).
   */
  idleTimeout?: number;
  /** Accept at most this many connections at once; more are closed as soon as they arrive. */
  maxConnections?: number;
  /**
   * Milliseconds a call may run. Then its handler's `context.signal` fires, the client gets the
   * error `org.varlinkts.CallTimedOut`, and the connection goes on with its next call.
   */
  callTimeout?: number;
  /**
   * Around every call the server reads, the first outermost: they see a call of an unknown
   * method too (its `next` fails with MethodNotFound). Interfaces may have their own, inside these.
   */
  interceptors?: readonly ServerInterceptor[];
  /**
   * Unix sockets that pass file descriptors and know their peer: `unixFds` from
   * @varlink-ts/unix-fds. Without it, unix sockets are Node's own: no fds, no `context.peer`.
   */
  fdPassing?: FdPassing;
}

/** What `server.listen(address, options)` does besides listening. */
export interface ListenOptions {
  /**
   * Links the socket into the varlink registry under this interface name (a unix socket with a
   * path only); the link is removed when the server closes.
   */
  register?: string;
  /** The registry: "system" (/run/varlink/registry, the default), "user" ($XDG_RUNTIME_DIR/varlink/registry), or a folder. */
  registry?: RegistryScope | { directory: string };
}

const defaultLogger: Logger = (message, error) => {
  process.stderr.write(`varlink-ts: ${message}${error === undefined ? "" : `: ${errorText(error)}`}\n`);
};

/** Method names declared in an interface text, so undeclared ones answer MethodNotFound. */
function declaredMethods(description: string): string[] {
  return readInterface(description).members.flatMap((member) => (member.kind === "method" ? [member.name] : []));
}

type MethodTable = Map<string, ServerNext>;

/** A socket being listened on, whoever's it is (Node's, or the fd-passing add-on's). */
interface Listening {
  readonly address: string;
  close(): Promise<void>;
}

/** Node's listening socket as a Listening; its address is read when asked (a tcp port 0 is known only then). */
/** `named`: what to call a socket that has no address to show (one handed over by its fd). */
function netListening(server: net.Server, logger: Logger, named = ""): Listening {
  // Failing to start listening is the caller's error; what fails afterwards goes to the log.
  server.on("error", (error) => logger("listening socket failed", error));
  return {
    get address() {
      const address = server.address();
      if (address === null || address === "") return named;
      if (typeof address === "string")
        return address.startsWith("\0") ? `unix:@${address.slice(1)}` : `unix:${address}`;
      return address.family === "IPv6"
        ? `tcp:[${address.address}]:${address.port}`
        : `tcp:${address.address}:${address.port}`;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** A varlink service: interfaces with their handlers, served on any number of addresses. */
export class VarlinkServer implements AsyncDisposable {
  private readonly interfaces = new Map<string, ServiceInterface>();
  private readonly tables = new Map<string, MethodTable>();
  private readonly listeners: Listening[] = [];
  private readonly connections = new Set<ServerConnection>();
  private readonly host: ConnectionHost;
  private idleTimer: NodeJS.Timeout | undefined;
  private closing: Promise<void> | undefined;
  /** Undo the registry links this server made. */
  private readonly registered: Array<() => Promise<void>> = [];

  constructor(private readonly options: ServerOptions = {}) {
    this.addInterface(
      varlinkService(
        {
          vendor: options.vendor ?? "",
          product: options.product ?? "",
          version: options.version ?? "",
          url: options.url ?? "",
        },
        () => this.interfaces,
      ),
    );
    const logger = options.logger ?? defaultLogger;
    const resolve: Resolve = (interfaceName, method) => {
      const table = this.tables.get(interfaceName);
      if (table === undefined) return "no-interface";
      return table.get(method) ?? "no-method";
    };
    this.host = {
      maxMessageSize: options.maxMessageSize ?? defaultMaxMessageSize,
      maxQueuedCalls: options.maxQueuedCalls ?? 128,
      callTimeout: options.callTimeout,
      idleTimeout: options.idleTimeout,
      logger,
      next: chainServer(options.interceptors ?? [], resolveAndRun(resolve)),
      connectionClosed: (connection) => {
        this.connections.delete(connection);
        this.armIdleTimer();
      },
    };
  }

  /**
   * Serves an interface from now on: its descriptor (generated, or made by defineInterface) with
   * a handler for every method, or only some with `{ partial: true }` (the others answer
   * MethodNotImplemented). Each call is checked against its types before its handler runs.
   * `interceptors` run around this interface's calls, inside the server's.
   */
  addInterface<D extends AnyInterfaceDescriptor>(
    descriptor: D,
    handlers: HandlersFor<D>,
    options?: ImplementOptions & { partial?: false },
  ): this;
  addInterface<D extends AnyInterfaceDescriptor>(
    descriptor: D,
    handlers: Partial<HandlersFor<D>>,
    options: ImplementOptions & { partial: true },
  ): this;
  /** Serves an interface described by its text and a method table: the untyped form the descriptor's comes down to. */
  addInterface(implementation: ServiceInterface): this;
  addInterface(first: AnyInterfaceDescriptor | ServiceInterface, handlers?: object, options?: ImplementOptions): this {
    const implementation =
      handlers === undefined
        ? (first as ServiceInterface)
        : implement(first as AnyInterfaceDescriptor, handlers, options);
    if (this.interfaces.has(implementation.name))
      throw new Error(`interface ${implementation.name} is already registered`);
    const entries = new Map<string, MethodImplementation>();
    for (const name of declaredMethods(implementation.description)) entries.set(name, {});
    for (const [name, entry] of Object.entries(implementation.methods)) {
      if (entry === undefined) continue;
      entries.set(name, typeof entry === "function" ? { handler: entry as Handler } : entry);
    }
    const table: MethodTable = new Map();
    for (const [name, entry] of entries)
      table.set(name, chainServer(implementation.interceptors ?? [], runMethod(entry)));
    this.interfaces.set(implementation.name, implementation);
    this.tables.set(implementation.name, table);
    return this;
  }

  /** Listens on `unix:/path`, `unix:@abstract`, `tcp:host:port`, or a socket path (`/run/x.sock`, `./x.sock`). */
  async listen(address: string, options: ListenOptions = {}): Promise<void> {
    const given = parseAddress(address);
    const parsed = given.kind === "path" ? { kind: "unix" as const, path: given.path, abstract: false } : given;
    if (parsed.kind !== "unix" && parsed.kind !== "tcp")
      throw new Error(`a server cannot listen on ${parsed.kind}: addresses; it listens on unix: and tcp: ones`);
    if (parsed.kind === "unix" && !parsed.abstract) await removeStaleSocket(parsed.path);
    let listening: Listening;
    try {
      listening =
        parsed.kind === "unix" && this.options.fdPassing !== undefined
          ? this.listenPassingFds(parsed)
          : await this.listenNet(parsed);
    } catch (error) {
      const socketPath = parsed.kind === "unix" && !parsed.abstract ? parsed.path : undefined;
      throw new Error(
        `cannot listen on ${address}: ${await listenFailureReason(error as NodeJS.ErrnoException, socketPath)}`,
        { cause: error },
      );
    }
    if (parsed.kind === "unix" && !parsed.abstract && this.options.socketMode !== undefined) {
      await chmod(parsed.path, this.options.socketMode);
    }
    if (options.register !== undefined) {
      try {
        if (parsed.kind !== "unix" || parsed.abstract)
          throw new Error("only a unix socket with a path can be registered");
        const directory =
          typeof options.registry === "object" ? options.registry.directory : registryDirectory(options.registry);
        const socketPath = parsed.path;
        const link = await register(directory, options.register, socketPath);
        this.registered.push(() => unregister(link, socketPath));
      } catch (error) {
        await listening.close();
        throw error;
      }
    }
    this.adopt(listening);
  }

  private async listenNet(parsed: Extract<StreamAddress, { kind: "unix" | "tcp" }>): Promise<Listening> {
    const server = this.createListener();
    await startListening(
      server,
      parsed.kind === "unix"
        ? { path: unixSocketPath(parsed), backlog: 1024 }
        : { host: parsed.host, port: parsed.port, backlog: 1024 },
    );
    return netListening(server, this.host.logger);
  }

  /** A unix socket through the fd-passing add-on: its connections carry fds and know their peer. */
  private listenPassingFds(parsed: Extract<StreamAddress, { kind: "unix" }>): Listening {
    const listener = this.options.fdPassing!.listen(parsed.abstract ? `@${parsed.path}` : parsed.path, 1024);
    return this.listenPassingFdsOn(listener, parsed.abstract ? `unix:@${parsed.path}` : `unix:${parsed.path}`);
  }

  private listenPassingFdsOn(listener: FdListener, address: string): Listening {
    listener.on("connection", (stream) => this.accept(stream));
    listener.on("error", (error) => this.host.logger("listening socket failed", error));
    return { address, close: async () => listener.close() };
  }

  /**
   * Serves the sockets handed over by socket activation (LISTEN_FDS, LISTEN_PID,
   * LISTEN_FDNAMES). A listening socket is accepted on; a connected one (as varlinkctl's exec:
   * passes) is served as one connection. Returns false when nothing was handed over.
   */
  async listenActivated(env: NodeJS.ProcessEnv = process.env): Promise<boolean> {
    const count = Number(env["LISTEN_FDS"] ?? "0");
    const pid = env["LISTEN_PID"];
    if (!(count > 0) || (pid !== undefined && pid !== "" && Number(pid) !== process.pid)) return false;
    // Children of this process must not take the sockets for their own.
    for (const key of ["LISTEN_FDS", "LISTEN_PID", "LISTEN_FDNAMES"]) delete env[key];
    for (let fd = 3; fd < 3 + count; fd++) {
      const listening = isListeningSocket(fd);
      // A unix socket (the only kind /proc/net/unix knows) goes to the fd-passing add-on, if given.
      if (listening !== undefined && this.options.fdPassing !== undefined) {
        if (listening) this.adopt(this.listenPassingFdsOn(this.options.fdPassing.adoptListener(fd), `unix:fd${fd}`));
        else this.serve(this.options.fdPassing.adoptConnection(fd));
        continue;
      }
      if (listening === false) {
        this.serve(new net.Socket({ fd, readable: true, writable: true }));
        continue;
      }
      const server = this.createListener();
      await startListening(server, { fd });
      this.adopt(netListening(server, this.host.logger, `unix:fd${fd}`));
    }
    return true;
  }

  /** Serves one already open stream, e.g. `Duplex.from({ readable: stdin, writable: stdout })`. */
  serve(stream: Duplex): void {
    clearTimeout(this.idleTimer);
    const connection = new ServerConnection(this.host, stream);
    this.connections.add(connection);
  }

  /** Serves varlink on standard input and output, for `ssh host server --stdio` bridges. */
  serveStdio(): void {
    this.serve(Duplex.from({ readable: process.stdin, writable: process.stdout }));
  }

  /** Addresses this server listens on (for `tcp:…:0`, with the port that was picked). */
  get addresses(): string[] {
    return this.listeners.map((listening) => listening.address);
  }

  get connectionCount(): number {
    return this.connections.size;
  }

  /**
   * Stops accepting and shuts down gracefully: every running handler's `context.signal` fires at
   * once, running `more` streams end with the error `org.varlinkts.ShuttingDown` (as does a call
   * whose handler fails once told to stop), the calls already received are answered, then every
   * connection closes. After `timeout` milliseconds (0: at once) the remaining connections are cut.
   */
  close(options: { timeout?: number } = {}): Promise<void> {
    this.closing ??= (async () => {
      if (options.timeout === 0) for (const connection of this.connections) connection.destroy();
      clearTimeout(this.idleTimer);
      // Out of the registry first, so that no new client finds a server that is going.
      await Promise.all(this.registered.splice(0).map((undo) => undo()));
      const stopped = Promise.all(this.listeners.map((listening) => listening.close()));
      const drained = Promise.all(
        [...this.connections].map(
          (connection) =>
            new Promise<void>((resolve) => {
              if (connection.stream.destroyed) return resolve();
              connection.stream.once("close", () => resolve());
              connection.shutdown();
            }),
        ),
      );
      let timer: NodeJS.Timeout | undefined;
      if (options.timeout !== undefined) {
        timer = setTimeout(() => {
          for (const connection of this.connections) connection.destroy();
        }, options.timeout);
      }
      await Promise.all([stopped, drained]);
      clearTimeout(timer);
    })();
    return this.closing;
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }

  private createListener(): net.Server {
    return net.createServer({ noDelay: true }, (socket) => this.accept(socket));
  }

  /** A connection a listening socket accepted: served, unless the server is closing or full. */
  private accept(socket: Duplex): void {
    if (this.closing) {
      socket.destroy();
      return;
    }
    const limit = this.options.maxConnections;
    if (limit !== undefined && this.connections.size >= limit) {
      this.refuse(socket, limit);
      return;
    }
    this.serve(socket);
  }

  private lastRefusal = 0;

  /** Over the connection limit: the client's connection ends at once; the log hears of it once a second at most. */
  private refuse(socket: Duplex, limit: number): void {
    socket.on("error", () => socket.destroy());
    // Whatever it sends is read and dropped, so that ending is not held up by a full buffer.
    socket.resume();
    socket.end();
    setTimeout(() => socket.destroy(), 1000).unref();
    const now = Date.now();
    if (now - this.lastRefusal > 1000)
      this.host.logger(`refused a connection: ${limit} are open, the most this server takes (maxConnections)`);
    this.lastRefusal = now;
  }

  private adopt(listening: Listening): void {
    this.listeners.push(listening);
    this.armIdleTimer();
  }

  private armIdleTimer(): void {
    const idleAfter = this.options.exitOnIdle;
    if (idleAfter === undefined || this.closing || this.connections.size > 0) return;
    clearTimeout(this.idleTimer);
    this.idleTimer = setTimeout(() => {
      if (this.connections.size > 0 || this.closing) return;
      void this.close().then(() => this.options.onIdle?.());
    }, idleAfter);
    this.idleTimer.unref();
  }
}

/**
 * A socket file left by a server that died is replaced; one that a live server still
 * answers on, or a file that is not a socket, is an error.
 */
async function removeStaleSocket(path: string): Promise<void> {
  const info = await lstat(path).catch(() => undefined);
  if (info === undefined) return;
  if (!info.isSocket()) throw new Error(`cannot listen on ${path}: it exists and is not a socket`);
  const live = await new Promise<boolean>((resolve) => {
    const probe = net.createConnection({ path });
    probe.once("connect", () => {
      probe.destroy();
      resolve(true);
    });
    probe.once("error", () => resolve(false));
  });
  if (live) throw new Error(`cannot listen on ${path}: another server is listening there`);
  await unlink(path);
}
