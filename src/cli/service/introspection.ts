import type { CallOptions, VarlinkClient } from "../../runtime/index.js";

// org.varlink.service as the tools use it: what a service says of itself, and its interfaces' text.

export interface ServiceInfo {
  vendor: string;
  product: string;
  version: string;
  url: string;
  interfaces: string[];
}

export const serviceInterface = "org.varlink.service";

export function getInfo(client: VarlinkClient, options: CallOptions = {}): Promise<ServiceInfo> {
  return client.call<ServiceInfo>(`${serviceInterface}.GetInfo`, {}, options);
}

export async function getInterfaceDescription(client: VarlinkClient, name: string, options: CallOptions = {}): Promise<string> {
  const reply = await client.call<{ description: string }>(`${serviceInterface}.GetInterfaceDescription`, { interface: name }, options);
  return reply.description;
}
