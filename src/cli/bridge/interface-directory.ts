import { SocketConnection, VarlinkError, type CallOptions } from "@varlink-ts/runtime";
import { getInfo } from "../service/introspection.js";
import type { InterfaceFiles } from "./interface-files.js";

// Which bridged service has an interface, for /call/METHOD when no service is named: the ones
// whose GetInfo lists it, or for which an --interface-file describes it. A service's list is
// asked on a connection of its own and kept for a while, so that routing costs one GetInfo per
// service now and then, not one per call.

/** How long a service's list of interfaces is trusted. */
const listLifetime = 10_000;

export class InterfaceDirectory {
  private readonly lists = new Map<string, { interfaces: Promise<readonly string[]>; until: number }>();

  constructor(
    private readonly services: ReadonlyMap<string, string>,
    private readonly files: InterfaceFiles | undefined,
    private readonly callOptions: CallOptions,
  ) {}

  /** The bridged services that have `interfaceName`, in the order they were bridged. */
  async servicesWith(interfaceName: string): Promise<string[]> {
    const names = [...this.services.keys()];
    const lists = await Promise.all(names.map((service) => this.interfacesOf(service)));
    return names.filter((service, i) => lists[i]!.includes(interfaceName) || this.files?.get(service)?.has(interfaceName) === true);
  }

  private interfacesOf(service: string): Promise<readonly string[]> {
    const known = this.lists.get(service);
    if (known !== undefined && known.until > Date.now()) return known.interfaces;
    const interfaces = this.ask(service);
    this.lists.set(service, { interfaces, until: Date.now() + listLifetime });
    return interfaces;
  }

  /**
   * GetInfo's list; none for a service that answers GetInfo with an error (it may still have
   * interface files). A service that cannot be reached is asked again next time.
   */
  private async ask(service: string): Promise<readonly string[]> {
    let connection: SocketConnection | undefined;
    try {
      connection = await SocketConnection.connect(this.services.get(service)!);
      return (await getInfo(connection, this.callOptions)).interfaces;
    } catch (error) {
      if (!(error instanceof VarlinkError)) this.lists.delete(service);
      return [];
    } finally {
      await connection?.close();
    }
  }
}
