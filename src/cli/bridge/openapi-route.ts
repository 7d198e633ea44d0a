import type { ServerResponse } from "node:http";
import type { CallOptions, SocketConnection } from "@varlink-ts/runtime";
import { toInterfaceModel } from "../../idl/index.js";
import { openApiDocument } from "../../openapi/index.js";
import type { BridgeOptions } from "./options.js";
import { sendError, sendJson, sendMessage } from "./responses.js";
import { BadDescriptionError, describeInterface } from "./service-interface.js";

/** GET <base>/openapi/SERVICE/INTERFACE: the interface as OpenAPI 3.1, from the service's own description. */
export async function handleOpenApi(connection: () => Promise<SocketConnection>, service: string, interfaceName: string, response: ServerResponse, options: BridgeOptions, callOptions: CallOptions): Promise<void> {
  try {
    const { definition } = await describeInterface(await connection(), interfaceName, callOptions, options.interfaceFiles?.get(service));
    sendJson(response, 200, openApiDocument([toInterfaceModel(definition)], { service, server: options.base === "" ? undefined : options.base, bearer: options.token !== undefined }));
  } catch (error) {
    if (error instanceof BadDescriptionError) return sendMessage(response, 502, error.message);
    sendError(response, error);
  }
}
