import type { CliIo } from "../io.js";
import { getInfo } from "../service/introspection.js";
import {
  callOptions,
  printJson,
  reportFailure,
  withService,
  type SessionOptions,
  type Target,
} from "../service/session.js";

/** `varlink-ts info ADDRESS`: the service's GetInfo reply, as JSON. */
export async function runInfo(target: Target, options: SessionOptions, io: CliIo): Promise<number> {
  try {
    const info = await withService(target, (client) => getInfo(client, callOptions(options)), {
      service: "org.varlink.service",
      env: io.env,
      signal: io.signal,
    });
    printJson(io, info, options);
    return 0;
  } catch (error) {
    return reportFailure(io, "org.varlink.service.GetInfo", error);
  }
}

/** `varlink-ts list-interfaces ADDRESS`: the interfaces the service implements, one per line (or a JSON array). */
export async function runListInterfaces(target: Target, options: SessionOptions, io: CliIo): Promise<number> {
  try {
    const { interfaces } = await withService(target, (client) => getInfo(client, callOptions(options)), {
      service: "org.varlink.service",
      env: io.env,
      signal: io.signal,
    });
    if (options.json !== undefined) printJson(io, interfaces, options);
    else io.stdout(interfaces.map((name) => `${name}\n`).join(""));
    return 0;
  } catch (error) {
    return reportFailure(io, "org.varlink.service.GetInfo", error);
  }
}
