import { InterfaceNotFound, type Parameters } from "./errors.js";
import { EncodedReply } from "./server-connection.js";
import type { ServiceInterface } from "./server-types.js";

/** org.varlink.service as UAPI.20 gives it: libvarlink's text plus the three newer errors. */
export const varlinkServiceDescription = `# The Varlink Service Interface is provided by every varlink service. It
# describes the service and the interfaces it implements.
interface org.varlink.service

# Get a list of all the interfaces a service provides and information
# about the implementation.
method GetInfo() -> (
  vendor: string,
  product: string,
  version: string,
  url: string,
  interfaces: []string
)

# Get the description of an interface that is implemented by this service.
method GetInterfaceDescription(interface: string) -> (description: string)

# The requested interface was not found.
error InterfaceNotFound (interface: string)

# The requested method was not found
error MethodNotFound (method: string)

# The interface defines the requested method, but the service does not
# implement it.
error MethodNotImplemented (method: string)

# One of the passed parameters is invalid.
error InvalidParameter (parameter: string)

# Client is denied access
error PermissionDenied ()

# Method is expected to be called with 'more' set to true, but wasn't
error ExpectedMore ()

# Method is expected to be called with 'upgrade' set to true, but wasn't
error ExpectedUpgrade ()
`;

export interface ServiceInfo {
  vendor: string;
  product: string;
  version: string;
  url: string;
}

/** The built-in interface, answering from the server's own table of interfaces. */
export function varlinkService(info: ServiceInfo, interfaces: () => ReadonlyMap<string, ServiceInterface>): ServiceInterface {
  // Interfaces are only ever added, so the table's size tells whether the reply is still current.
  let cachedInfo: EncodedReply | undefined;
  let cachedFor = -1;
  return {
    name: "org.varlink.service",
    description: varlinkServiceDescription,
    methods: {
      GetInfo: () => {
        const table = interfaces();
        if (cachedInfo === undefined || cachedFor !== table.size) {
          cachedInfo = new EncodedReply({ ...info, interfaces: [...table.keys()] });
          cachedFor = table.size;
        }
        return cachedInfo;
      },
      GetInterfaceDescription: {
        validate: (p) => (typeof p["interface"] === "string" ? undefined : "interface"),
        handler: (p: Parameters) => {
          const name = p["interface"] as string;
          const found = interfaces().get(name);
          if (found === undefined) throw new InterfaceNotFound(name);
          return { description: found.description };
        },
      },
    },
  };
}
