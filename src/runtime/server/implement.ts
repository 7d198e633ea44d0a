import { hasBigIntegers } from "../protocol/json.js";
import type { Parameters } from "../protocol/call-types.js";
import type { InterfaceTypes } from "../validation/interface-types.js";
import { convertIntegers } from "../validation/integers.js";
import { reportIssues } from "../validation/report.js";
import type { Check } from "../validation/schema.js";
import type { AcceptedParameters, MethodImplementation, ServiceInterface } from "./types.js";

// What every generated createXService does, written once: binds the handlers it is given,
// checks each call's parameters exactly (undeclared fields refused), converts integers for the
// handlers, and carries the method modes.

/** One method as a generated service describes it. */
export interface ServiceMethodSpec {
  /** The generated check of the method's parameters. */
  parameters: Check<unknown>;
  more?: "requires" | "supports";
  upgrade?: "requires" | "supports";
}

/** The generated description of an interface, as its service factory passes it. */
export interface ServiceSpec<H> {
  name: string;
  description: string;
  types: InterfaceTypes;
  methods: { [K in keyof H]-?: ServiceMethodSpec };
}

const exact = { exact: true };

/** A service interface for a VarlinkServer from typed handlers; a method left out answers MethodNotImplemented. */
export function implementInterface<H extends object>(handlers: H, spec: ServiceSpec<H>): ServiceInterface {
  const { types } = spec;
  const implementations: Record<string, MethodImplementation> = {};
  for (const [method, entry] of Object.entries<ServiceMethodSpec>(spec.methods)) {
    const handler: unknown = (handlers as Record<string, unknown>)[method];
    const key = `${method}.input`;
    const accept = (parameters: Parameters): AcceptedParameters => {
      let value: unknown = parameters;
      if (types.integers === "bigint" || hasBigIntegers(parameters)) {
        const converted = convertIntegers(types, key, parameters, types.integers);
        if (converted.issues.length > 0) return { ok: false, parameter: converted.issues[0]!.path };
        value = converted.value;
      }
      if (entry.parameters(value, exact)) return { ok: true, value: value as Parameters };
      return { ok: false, parameter: reportIssues(types, key, value, exact)[0]?.path ?? "" };
    };
    implementations[method] = {
      handler: typeof handler === "function" ? handler.bind(handlers) : undefined,
      parameters: accept,
      more: entry.more,
      upgrade: entry.upgrade,
    };
  }
  return { name: spec.name, description: spec.description, methods: implementations };
}
