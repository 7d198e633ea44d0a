import type { ServerResponse } from "node:http";
import type { CallOptions, SocketConnection } from "@varlink-ts/runtime";
import { toInterfaceModel } from "../../idl/index.js";
import { openApiBridgeDocument, openApiDocument, OpenApiSizeError, type BridgedService } from "../../openapi/index.js";
import { packageVersion } from "../version.js";
import type { BridgeOptions } from "./options.js";
import { sendError, sendJson, sendMessage } from "./responses.js";
import { BadDescriptionError, describeInterface } from "./service-interface.js";
import { failureReason, type Probe, type ServiceProbes } from "./service-probe.js";

/**
 * GET <base>/openapi.json: one document for every bridged service and interface, the bridge's
 * URL as its server. A service that answers GetInfo with an error is described by its interface
 * files; one that is down (see service-probe.ts), or cannot describe an interface it lists in
 * time, is left out and named in `x-varlink-left-out`; one that describes an interface badly
 * fails the document (502).
 */
export async function handleBridgeOpenApi(
  probes: ServiceProbes,
  connectionTo: (service: string) => () => Promise<SocketConnection>,
  server: string,
  response: ServerResponse,
  options: BridgeOptions,
): Promise<void> {
  const bounded = { timeout: probes.wait };
  const leftOut: Record<string, string> = {};
  const described = async (service: string, probe: Probe): Promise<BridgedService | undefined> => {
    if (probe.state === "down") return void (leftOut[service] = `down: ${probe.reason}`);
    const files = options.interfaceFiles?.get(service);
    const info = probe.state === "up" ? probe.info : undefined;
    const names = [...new Set([...(info?.interfaces ?? []), ...(files?.keys() ?? [])])];
    try {
      const connection = await connectionTo(service)();
      const interfaces = await Promise.all(
        names.map(async (name) =>
          toInterfaceModel((await describeInterface(connection, name, bounded, files)).definition),
        ),
      );
      const { vendor, product, version, url } = info ?? {};
      return {
        service,
        info: info !== undefined ? { vendor: vendor!, product: product!, version: version!, url: url! } : undefined,
        interfaces,
      };
    } catch (error) {
      if (error instanceof BadDescriptionError) throw error;
      return void (leftOut[service] = `its interfaces could not be described: ${failureReason(error)}`);
    }
  };
  try {
    const services = (
      await Promise.all((await probes.all()).map(({ service, probe }) => described(service, probe)))
    ).filter((service) => service !== undefined);
    const document = openApiBridgeDocument(services, {
      title: "varlink-ts bridge",
      version: packageVersion,
      server,
      bearer: options.token !== undefined,
    });
    if (Object.keys(leftOut).length > 0) {
      document["x-varlink-left-out"] = leftOut;
      const info = document["info"] as { description: string };
      info.description += `\n\nLeft out:\n\n${Object.entries(leftOut)
        .map(([service, reason]) => `- \`${service}\`: ${reason}`)
        .join("\n")}`;
    }
    sendJson(response, 200, document);
  } catch (error) {
    sendDocumentError(response, error);
  }
}

/** GET <base>/openapi/SERVICE/INTERFACE: the interface as OpenAPI 3.1, from the service's own description. */
export async function handleOpenApi(
  connection: () => Promise<SocketConnection>,
  service: string,
  interfaceName: string,
  response: ServerResponse,
  options: BridgeOptions,
  callOptions: CallOptions,
): Promise<void> {
  try {
    const { definition } = await describeInterface(
      await connection(),
      interfaceName,
      callOptions,
      options.interfaceFiles?.get(service),
    );
    sendJson(
      response,
      200,
      openApiDocument([toInterfaceModel(definition)], {
        service,
        server: options.base === "" ? undefined : options.base,
        bearer: options.token !== undefined,
      }),
    );
  } catch (error) {
    sendDocumentError(response, error);
  }
}

/** What the services describe is too large or malformed to be a document: the bridge says which. Anything else as any call's failure. */
function sendDocumentError(response: ServerResponse, error: unknown): void {
  if (error instanceof BadDescriptionError || error instanceof OpenApiSizeError)
    return sendMessage(response, "Unreachable", error.message);
  sendError(response, error);
}
