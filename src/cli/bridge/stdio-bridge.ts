import type { Duplex } from "node:stream";
import { checkCall, encodeMessage, interfaceOf, MessageReader } from "@varlink-ts/runtime/wire";
import {
  CallTooDeep,
  ProtocolError,
  SocketConnection,
  VarlinkError,
  varlinkServiceDescription,
  type NestingTooDeepError,
} from "@varlink-ts/runtime";
import { getInfo, getInterfaceDescription, serviceInterface } from "../service/introspection.js";
import { packageVersion } from "../version.js";
import { drained } from "./drained.js";

// `varlink-ts bridge stdio`: varlink on a byte stream (stdin/stdout, as `ssh host varlink-ts
// bridge stdio` gives), each call forwarded to the service that implements its interface, like
// varlink's --bridge. Calls are handled in order, so replies keep the order of their calls.

/** Calls read ahead before the bridge stops reading its input. */
const maxQueuedCalls = 128;

/** Marks a queued call that is answered CallTooDeep instead of being forwarded. */
const tooDeep = Symbol("too deep");

export interface StdioBridgeOptions {
  /** Services to route to: NAME=ADDRESS, where NAME may be the interface itself. */
  services: ReadonlyMap<string, string>;
  /** An org.varlink.resolver service that names the address of any other interface. */
  resolver?: string | undefined;
  log: (message: string) => void;
}

interface Call {
  method: string;
  parameters: Record<string, unknown>;
  oneway: boolean;
  more: boolean;
  upgrade: boolean;
}

export class StdioBridge {
  private readonly connections = new Map<string, Promise<SocketConnection>>();
  private interfacesByAddress: Map<string, string[]> | undefined;

  constructor(private readonly options: StdioBridgeOptions) {}

  /**
   * Serves `stream` until it ends; resolves once every answered call is written. Calls wait in a
   * queue of at most `maxQueuedCalls` (then reading pauses), and replies are written only as fast
   * as the other end reads them.
   */
  async serve(stream: Duplex, signal?: AbortSignal): Promise<void> {
    const reader = new MessageReader();
    const queue: unknown[] = [];
    let wake: (() => void) | undefined;
    let ended = false;
    // Told to stop (SIGINT, SIGTERM): calls not yet forwarded are dropped, the one under way
    // ends with its service connection, and the stream is let go so that the process can end.
    const stop = (): void => {
      ended = true;
      queue.length = 0;
      wake?.();
      stream.destroy();
      void this.close();
    };
    if (signal?.aborted) stop();
    signal?.addEventListener("abort", stop, { once: true });
    const receive = (message: unknown): void => {
      queue.push(message);
      if (queue.length >= maxQueuedCalls) stream.pause();
    };
    // A call too deep to read is answered in its turn, as a server of ours answers it.
    const refuse = (error: NestingTooDeepError): void => {
      const value = error.value as Record<string, unknown> | null;
      const header = typeof value === "object" && value !== null && !Array.isArray(value) ? value : {};
      receive({ method: header["method"], oneway: header["oneway"], [tooDeep]: error.limit });
    };
    stream.on("data", (chunk: Buffer) => {
      try {
        reader.push(chunk, receive, refuse);
      } catch (error) {
        this.options.log(`bridge: ${error instanceof ProtocolError ? error.message : String(error)}; closing`);
        ended = true;
        stream.destroy();
      }
      wake?.();
    });
    stream.on("end", () => {
      ended = true;
      wake?.();
    });
    stream.on("close", () => {
      ended = true;
      wake?.();
    });
    const write = async (reply: object): Promise<void> => {
      if (!stream.write(encodeMessage(reply))) await drained(stream);
    };
    for (;;) {
      const message = queue.shift();
      if (queue.length < maxQueuedCalls / 2 && !ended) stream.resume();
      if (message === undefined) {
        if (ended) break;
        await new Promise<void>((resolve) => (wake = resolve));
        wake = undefined;
        continue;
      }
      const call = parseCall(message);
      if (call === undefined) {
        this.options.log("bridge: a message that is not a varlink call; closing");
        break;
      }
      const limit = (message as { [tooDeep]?: number })[tooDeep];
      if (limit !== undefined) {
        if (!call.oneway) await write({ error: CallTooDeep.errorName, parameters: { limit } });
        continue;
      }
      await this.forward(call, write);
    }
    stream.end();
    await this.close();
  }

  async close(): Promise<void> {
    const clients = await Promise.allSettled(this.connections.values());
    this.connections.clear();
    await Promise.all(clients.map((c) => (c.status === "fulfilled" ? c.value.close() : undefined)));
  }

  private async forward(call: Call, write: (reply: object) => Promise<void>): Promise<void> {
    const reply = (parameters: object, continues = false): Promise<void> =>
      write(continues ? { parameters, continues } : { parameters });
    const fail = (error: unknown): Promise<void> | undefined => {
      if (call.oneway) return;
      if (error instanceof VarlinkError) return write({ error: error.errorName, parameters: error.parameters });
      return write({
        error: "org.varlinkts.ServiceUnavailable",
        parameters: { reason: error instanceof Error ? error.message : String(error) },
      });
    };
    try {
      const target = interfaceOf(call.method);
      if (target === serviceInterface) return await this.answerService(call, reply);
      if (call.upgrade) throw new VarlinkError("org.varlinkts.UpgradeNotBridged", { method: call.method });
      const address = await this.addressOf(target);
      if (address === undefined) throw new VarlinkError(`${serviceInterface}.InterfaceNotFound`, { interface: target });
      const client = await this.connection(address);
      if (call.oneway) return await client.oneway(call.method, call.parameters);
      if (!call.more) return await reply(await client.call(call.method, call.parameters));
      // The last reply is the one without `continues`, known only when the stream ends.
      let previous: object | undefined;
      for await (const parameters of client.more(call.method, call.parameters)) {
        if (previous !== undefined) await reply(previous, true);
        previous = parameters;
      }
      await reply(previous ?? {});
    } catch (error) {
      // A broken service connection has already removed itself (see connection()).
      await fail(error);
    }
  }

  /** org.varlink.service of the bridge itself: every reachable interface, descriptions from their owners. */
  private async answerService(call: Call, reply: (parameters: object) => Promise<void>): Promise<void> {
    const method = call.method.slice(serviceInterface.length + 1);
    if (method === "GetInfo") {
      const owned = [...(await this.interfaces()).values()].flat();
      return reply({
        vendor: "varlink-ts",
        product: "varlink-ts bridge",
        version: packageVersion,
        url: "https://github.com/varlink",
        interfaces: [serviceInterface, ...new Set(owned)],
      });
    }
    if (method === "GetInterfaceDescription") {
      const name = String(call.parameters["interface"] ?? "");
      if (name === serviceInterface) return reply({ description: varlinkServiceDescription });
      const address = await this.addressOf(name);
      if (address === undefined) throw new VarlinkError(`${serviceInterface}.InterfaceNotFound`, { interface: name });
      return reply({ description: await getInterfaceDescription(await this.connection(address), name) });
    }
    throw new VarlinkError(`${serviceInterface}.MethodNotFound`, { method: call.method });
  }

  private async addressOf(interfaceName: string): Promise<string | undefined> {
    const named = this.options.services.get(interfaceName);
    if (named !== undefined) return named;
    for (const [address, interfaces] of await this.interfaces()) if (interfaces.includes(interfaceName)) return address;
    if (this.options.resolver === undefined) return undefined;
    try {
      const resolved = await (await this.connection(this.options.resolver)).call("org.varlink.resolver.Resolve", {
        interface: interfaceName,
      });
      return typeof resolved["address"] === "string" ? resolved["address"] : undefined;
    } catch (error) {
      if (error instanceof VarlinkError) return undefined;
      throw error;
    }
  }

  /** What each mapped service implements, asked once (a service that cannot tell is skipped). */
  private async interfaces(): Promise<Map<string, string[]>> {
    if (this.interfacesByAddress !== undefined) return this.interfacesByAddress;
    const found = new Map<string, string[]>();
    for (const address of new Set(this.options.services.values())) {
      try {
        found.set(
          address,
          (await getInfo(await this.connection(address))).interfaces.filter((name) => name !== serviceInterface),
        );
      } catch (error) {
        this.options.log(
          `bridge: ${address} does not list its interfaces (${error instanceof Error ? error.message : String(error)})`,
        );
      }
    }
    this.interfacesByAddress = found;
    return found;
  }

  private connection(address: string): Promise<SocketConnection> {
    let client = this.connections.get(address);
    if (client === undefined) {
      client = SocketConnection.connect(address);
      this.connections.set(address, client);
      client.then(
        (c) => void c.closed.then(() => this.connections.get(address) === client && this.connections.delete(address)),
        () => this.connections.delete(address),
      );
    }
    return client;
  }
}

/** The call in a message, checked as our server checks calls; undefined when it is not one. */
function parseCall(message: unknown): Call | undefined {
  const checked = checkCall(message);
  if (!checked.ok) return undefined;
  const { method, parameters, oneway, more, upgrade } = checked.value;
  return { method, parameters, oneway: oneway === true, more: more === true, upgrade: upgrade === true };
}
