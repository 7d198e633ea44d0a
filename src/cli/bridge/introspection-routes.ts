import type { ServerResponse } from "node:http";
import type { CallOptions, SocketConnection } from "@varlink-ts/runtime";
import { getInfo } from "../service/introspection.js";
import { sendError, sendJson, sendMessage } from "./responses.js";
import type { InterfaceDefinition } from "../../idl/index.js";
import { BadDescriptionError, describeInterface } from "./service-interface.js";

// GET <base>/services/NAME: the service's GetInfo; GET <base>/services/NAME/INTERFACE: the names
// of that interface's methods, as {"methods": [...]} (UAPI.20).

export async function handleIntrospection(
  connection: () => Promise<SocketConnection>,
  interfaceName: string | undefined,
  response: ServerResponse,
  callOptions: CallOptions,
  files?: ReadonlyMap<string, InterfaceDefinition>,
): Promise<void> {
  try {
    const service = await connection();
    if (interfaceName === undefined) return sendJson(response, 200, await getInfo(service, callOptions));
    const { definition } = await describeInterface(service, interfaceName, callOptions, files);
    sendJson(response, 200, {
      methods: definition.members.filter((member) => member.kind === "method").map((method) => method.name),
    });
  } catch (error) {
    if (error instanceof BadDescriptionError) return sendMessage(response, "Unreachable", error.message);
    sendError(response, error);
  }
}
