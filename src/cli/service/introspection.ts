import { createClient, VarlinkService, type CallOptions, type GetInfoOutput, type VarlinkConnection } from "@varlink-ts/runtime";

// org.varlink.service as the tools use it: what a service says of itself, and its interfaces'
// text, through the runtime's own generated client, replies checked against their types.

export type ServiceInfo = GetInfoOutput;

export const serviceInterface = VarlinkService.name;

export async function getInfo(connection: VarlinkConnection, options: CallOptions = {}): Promise<ServiceInfo> {
  return createClient(VarlinkService, connection, { validateReplies: true }).GetInfo({}, options);
}

export async function getInterfaceDescription(connection: VarlinkConnection, name: string, options: CallOptions = {}): Promise<string> {
  return (await createClient(VarlinkService, connection, { validateReplies: true }).GetInterfaceDescription({ interface: name }, options)).description;
}
