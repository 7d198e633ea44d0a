import type { ServerResponse } from "node:http";
import { VarlinkError, type VarlinkClient } from "../../runtime/index.js";
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
  let client: VarlinkClient;
  try {
    client = await pool.acquire();
  } catch (error) {
    return sendError(response, error);
  }
  let reusable = false;
  try {
    if (interfaceName === undefined || interfaceName === "") sendJson(response, 200, await getInfo(client, callOptions));
    else sendJson(response, 200, { interface: interfaceName, description: await getInterfaceDescription(client, interfaceName, callOptions) });
    reusable = true;
  } catch (error) {
    sendError(response, error);
    reusable = error instanceof VarlinkError;
  } finally {
    pool.release(client, reusable);
  }
}
