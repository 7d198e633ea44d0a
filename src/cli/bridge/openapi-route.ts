import type { ServerResponse } from "node:http";
import { VarlinkError, type CallOptions, type SocketConnection } from "@varlink-ts/runtime";
import { toInterfaceModel } from "../../idl/index.js";
import { openApiBridgeDocument, openApiDocument, type BridgedService } from "../../openapi/index.js";
import { getInfo } from "../service/introspection.js";
import { packageVersion } from "../version.js";
import type { BridgeOptions } from "./options.js";
import { sendError, sendJson, sendMessage } from "./responses.js";
import { BadDescriptionError, describeInterface } from "./service-interface.js";

/**
 * GET <base>/openapi.json: one document for every bridged service and interface, the bridge's
 * URL as its server. A service that answers GetInfo with an error is described by its interface
 * files; one that cannot be reached, or describes an interface badly, fails the document (502).
 */
export async function handleBridgeOpenApi(connectionTo: (service: string) => () => Promise<SocketConnection>, server: string, response: ServerResponse, options: BridgeOptions, callOptions: CallOptions): Promise<void> {
  try {
    const services: BridgedService[] = await Promise.all(
      [...options.services.keys()].map(async (service): Promise<BridgedService> => {
        const connection = await connectionTo(service)();
        const files = options.interfaceFiles?.get(service);
        const info = await getInfo(connection, callOptions).catch((error: unknown) => {
          if (error instanceof VarlinkError) return undefined;
          throw error;
        });
        const names = [...new Set([...(info?.interfaces ?? []), ...(files?.keys() ?? [])])];
        const described = await Promise.all(names.map((name) => describeInterface(connection, name, callOptions, files)));
        const { vendor, product, version, url } = info ?? {};
        return { service, info: info !== undefined ? { vendor: vendor!, product: product!, version: version!, url: url! } : undefined, interfaces: described.map(({ definition }) => toInterfaceModel(definition)) };
      }),
    );
    sendJson(response, 200, openApiBridgeDocument(services, { title: "varlink-ts bridge", version: packageVersion, server, bearer: options.token !== undefined }));
  } catch (error) {
    if (error instanceof BadDescriptionError) return sendMessage(response, 502, error.message);
    sendError(response, error);
  }
}

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
