import type { ServerResponse } from "node:http";
import { getInfo, getInterfaceDescription } from "../service/introspection.js";
import { sendError, sendJson } from "./responses.js";
import type { BridgeOptions } from "./options.js";
import type { ServicePool } from "./service-pool.js";

/**
 * GET <base>/services/NAME: the service's GetInfo; GET <base>/services/NAME/INTERFACE: that
 * interface's description, as JSON ({ interface, description }).
 */
export async function handleIntrospection(pool: ServicePool, interfaceName: string | undefined, response: ServerResponse, options: BridgeOptions): Promise<void> {
  const callOptions = options.callTimeout !== undefined ? { timeout: options.callTimeout * 1000 } : {};
  try {
    const body = await pool.use(async (client) =>
      interfaceName === undefined || interfaceName === ""
        ? getInfo(client, callOptions)
        : { interface: interfaceName, description: await getInterfaceDescription(client, interfaceName, callOptions) },
    );
    sendJson(response, 200, body);
  } catch (error) {
    sendError(response, error);
  }
}
