import { InterfaceNotFound, Service, type GetInfoOutput } from "../service/org.varlink.service.js";
import { EncodedReply } from "./replies.js";
import { implementInterface } from "./implement.js";
import type { ServiceInterface } from "./types.js";

// org.varlink.service, which every service implements, on the code varlink-ts generates from
// its own interface file (service/org.varlink.service.varlink): its calls are checked
// exactly like those of any generated interface.

/** org.varlink.service as UAPI.20 gives it: libvarlink's text plus the three newer errors. */
export const varlinkServiceDescription = Service.description;

export interface ServiceInfo {
  vendor: string;
  product: string;
  version: string;
  url: string;
}

/** The built-in interface, answering from the server's own table of interfaces. */
export function varlinkService(
  info: ServiceInfo,
  interfaces: () => ReadonlyMap<string, ServiceInterface>,
): ServiceInterface {
  // Interfaces are only ever added, so the table's size tells whether the reply is still current.
  let cachedInfo: EncodedReply | undefined;
  let cachedFor = -1;
  return implementInterface(Service, {
    GetInfo: () => {
      const table = interfaces();
      if (cachedInfo === undefined || cachedFor !== table.size) {
        cachedInfo = new EncodedReply({ ...info, interfaces: [...table.keys()] });
        cachedFor = table.size;
      }
      // Sent as it was encoded once; the server writes an EncodedReply as it is.
      return cachedInfo as unknown as GetInfoOutput;
    },
    GetInterfaceDescription: ({ interface: name }) => {
      const found = interfaces().get(name);
      if (found === undefined) throw new InterfaceNotFound({ interface: name });
      return { description: found.description };
    },
  });
}
