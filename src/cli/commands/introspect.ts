import { VarlinkError } from "@varlink-ts/runtime";
import { hasErrors, parseInterface } from "../../idl/index.js";
import { readInterfaceFiles } from "../interface-file.js";
import type { CliIo } from "../io.js";
import { failedMethodOf, getInfo, getInterfaceDescription } from "../service/introspection.js";
import {
  callOptions,
  printJson,
  reportFailure,
  withService,
  type SessionOptions,
  type Target,
} from "../service/session.js";

/**
 * The descriptions of `interfaces`, or of every interface the service lists. Interface files
 * stand in for the service: what they describe is not asked, and with files and no names given,
 * their interfaces are the ones described (no GetInfo, which a service may not implement).
 */
async function descriptions(
  target: Target,
  interfaces: readonly string[],
  options: SessionOptions,
  io: CliIo,
  explanation: string[],
): Promise<Array<{ name: string; text: string }>> {
  const files = await readInterfaceFiles(options.interfaceFiles ?? []);
  const named = interfaces.length > 0 ? interfaces : files.size > 0 ? [...files.keys()] : undefined;
  if (named?.every((name) => files.has(name))) return named.map((name) => ({ name, text: files.get(name)!.text }));
  return withService(
    target,
    async (client) => {
      const names = named ?? (await getInfo(client, callOptions(options))).interfaces;
      const texts = await Promise.all(
        names.map((name) => files.get(name)?.text ?? getInterfaceDescription(client, name, callOptions(options))),
      ).catch(async (error: unknown) => {
        // Said after the error, while the connection is open to ask what the service has.
        const missing =
          error instanceof VarlinkError && error.errorName === "org.varlink.service.InterfaceNotFound"
            ? error.parameters["interface"]
            : undefined;
        if (typeof missing === "string")
          explanation.push(...(await (await import("../service/call-problems.js")).interfaceMeant(missing, client)));
        throw error;
      });
      return names.map((name, i) => ({ name, text: texts[i]! }));
    },
    { service: "org.varlink.service", env: io.env, signal: io.signal },
  );
}

function reportExplained(io: CliIo, error: unknown, explanation: readonly string[]): number {
  const code = reportFailure(io, failedMethodOf(error, "org.varlink.service.GetInterfaceDescription"), error);
  for (const line of explanation) io.stderr(`${line}\n`);
  return code;
}

/**
 * `varlink-ts introspect ADDRESS [INTERFACE...]`: the interface text as the service describes
 * it; without names, every interface the service lists, separated by blank lines.
 */
export async function runIntrospect(
  target: Target,
  interfaces: readonly string[],
  options: SessionOptions,
  io: CliIo,
): Promise<number> {
  const explanation: string[] = [];
  try {
    const texts = await descriptions(target, interfaces, options, io, explanation);
    io.stdout(texts.map(({ text }) => (text.endsWith("\n") ? text : `${text}\n`)).join("\n"));
    return 0;
  } catch (error) {
    return reportExplained(io, error, explanation);
  }
}

/**
 * `varlink-ts list-methods ADDRESS [INTERFACE...]`: the methods of the interfaces (all the
 * service lists unless named), fully qualified, one per line; with --json, by interface.
 */
export async function runListMethods(
  target: Target,
  interfaces: readonly string[],
  options: SessionOptions,
  io: CliIo,
): Promise<number> {
  const explanation: string[] = [];
  try {
    const texts = await descriptions(target, interfaces, options, io, explanation);
    const methods: Record<string, string[]> = {};
    let unparsed = 0;
    for (const { name, text } of texts) {
      const { definition, diagnostics } = parseInterface(text, { file: name });
      if (definition === undefined || hasErrors(diagnostics)) {
        io.stderr(`varlink-ts: the service's description of ${name} does not parse; its methods are left out\n`);
        unparsed++;
        continue;
      }
      methods[name] = definition.members.filter((member) => member.kind === "method").map((member) => member.name);
    }
    if (options.json !== undefined) printJson(io, methods, options);
    else
      io.stdout(
        Object.entries(methods)
          .flatMap(([name, list]) => list.map((method) => `${name}.${method}\n`))
          .join(""),
      );
    return unparsed > 0 ? 1 : 0;
  } catch (error) {
    return reportExplained(io, error, explanation);
  }
}
