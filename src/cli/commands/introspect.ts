import type { CliIo } from "../io.js";
import { getInfo, getInterfaceDescription } from "../service/introspection.js";
import { callOptions, reportFailure, withService, type SessionOptions } from "../service/session.js";

/**
 * `varlink-ts introspect ADDRESS [INTERFACE...]`: the interface text as the service describes
 * it; without names, every interface the service lists, separated by blank lines.
 */
export async function runIntrospect(address: string, interfaces: readonly string[], options: SessionOptions, io: CliIo): Promise<number> {
  try {
    const texts = await withService(address, async (client) => {
      const names = interfaces.length > 0 ? interfaces : (await getInfo(client, callOptions(options))).interfaces;
      return Promise.all(names.map((name) => getInterfaceDescription(client, name, callOptions(options))));
    });
    io.stdout(texts.map((text) => (text.endsWith("\n") ? text : `${text}\n`)).join("\n"));
    return 0;
  } catch (error) {
    return reportFailure(io, "org.varlink.service.GetInterfaceDescription", error);
  }
}
