import type { CallOptions, VarlinkConnection } from "@varlink-ts/runtime";

// org.varlink.service as the tools use it: what a service says of itself, and its interfaces' text.

export interface ServiceInfo {
  vendor: string;
  product: string;
  version: string;
  url: string;
  interfaces: string[];
}

export const serviceInterface = "org.varlink.service";

export async function getInfo(connection: VarlinkConnection, options: CallOptions = {}): Promise<ServiceInfo> {
  return (await connection.call(`${serviceInterface}.GetInfo`, {}, options)) as unknown as ServiceInfo;
}

export async function getInterfaceDescription(connection: VarlinkConnection, name: string, options: CallOptions = {}): Promise<string> {
  const reply = (await connection.call(`${serviceInterface}.GetInterfaceDescription`, { interface: name }, options)) as { description?: unknown };
  return String(reply.description);
}
