import {
  createClient,
  VarlinkService,
  type CallOptions,
  type GetInfoOutput,
  type VarlinkConnection,
} from "@varlink-ts/runtime";

// org.varlink.service as the tools use it: what a service says of itself, and its interfaces'
// text, through the runtime's own generated client, replies checked against their types.

export type ServiceInfo = GetInfoOutput;

export const serviceInterface = VarlinkService.name;

/** The method whose call an error came from, where introspection knows it. */
const failedCalls = new WeakMap<object, string>();

/** `work`, with its failure noted as coming from `method`, so that a report names the right one. */
async function calling<T>(method: string, work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (error) {
    if (typeof error === "object" && error !== null && !failedCalls.has(error)) failedCalls.set(error, method);
    throw error;
  }
}

/** The method an introspection failure came from (GetInfo or GetInterfaceDescription), else `fallback`. */
export function failedMethodOf(error: unknown, fallback: string): string {
  return (typeof error === "object" && error !== null ? failedCalls.get(error) : undefined) ?? fallback;
}

export async function getInfo(connection: VarlinkConnection, options: CallOptions = {}): Promise<ServiceInfo> {
  return calling(
    "org.varlink.service.GetInfo",
    createClient(VarlinkService, connection, { validateReplies: true }).GetInfo({}, options),
  );
}

export async function getInterfaceDescription(
  connection: VarlinkConnection,
  name: string,
  options: CallOptions = {},
): Promise<string> {
  const client = createClient(VarlinkService, connection, { validateReplies: true });
  return (
    await calling(
      "org.varlink.service.GetInterfaceDescription",
      client.GetInterfaceDescription({ interface: name }, options),
    )
  ).description;
}
