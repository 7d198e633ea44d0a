import type { CliIo } from "../io.js";
import { getInfo } from "../service/introspection.js";
import { callOptions, printJson, reportFailure, withService, type SessionOptions } from "../service/session.js";

/** `varlink-ts info ADDRESS`: the service's GetInfo reply, as JSON. */
export async function runInfo(address: string, options: SessionOptions, io: CliIo): Promise<number> {
  try {
    const info = await withService(address, (client) => getInfo(client, callOptions(options)));
    printJson(io, info, options);
    return 0;
  } catch (error) {
    return reportFailure(io, "org.varlink.service.GetInfo", error);
  }
}
