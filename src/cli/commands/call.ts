import { isQualifiedMemberName } from "../../idl/names.js";
import { parseJson } from "@varlink-ts/runtime";
import { UsageError, type CliIo } from "../io.js";
import { callOptions, printJson, reportFailure, withService, type SessionOptions } from "../service/session.js";

export interface CallCommandOptions extends SessionOptions {
  address: string;
  method: string;
  /** The parameters as JSON text; undefined means none, unless `stdin` says to read them. */
  parameters?: string | undefined;
  stdin: boolean;
  more: boolean;
  oneway: boolean;
}

/**
 * `varlink-ts call ADDRESS METHOD [JSON]`: one call, its reply printed as JSON; with --more
 * every reply as it arrives; with --oneway nothing is awaited.
 */
export async function runCall(options: CallCommandOptions, io: CliIo): Promise<number> {
  if (options.more && options.oneway) throw new UsageError("--more and --oneway cannot be used together");
  if (options.stdin && options.parameters !== undefined) throw new UsageError("give the parameters as an argument or on standard input, not both");
  if (!isQualifiedMemberName(options.method)) {
    throw new UsageError(`'${options.method}' is not a method name: expected INTERFACE.Method, e.g. org.varlink.service.GetInfo`);
  }
  const text = options.stdin ? await io.readStdin() : options.parameters;
  const parameters = parseParameters(text, options.stdin ? "standard input" : "the parameters argument");
  try {
    await withService(options.address, async (client) => {
      if (options.oneway) return client.oneway(options.method, parameters);
      if (!options.more) return printJson(io, await client.call(options.method, parameters, callOptions(options)), options);
      for await (const reply of client.more(options.method, parameters, callOptions(options))) printJson(io, reply, options);
    });
    return 0;
  } catch (error) {
    return reportFailure(io, options.method, error);
  }
}

function parseParameters(text: string | undefined, where: string): Record<string, unknown> {
  if (text === undefined || text.trim() === "") return {};
  let value: unknown;
  try {
    value = parseJson(text);
  } catch (error) {
    throw new UsageError(`${where} is not valid JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) throw new UsageError(`${where} must be a JSON object, like '{"name": "root"}'`);
  return value as Record<string, unknown>;
}
