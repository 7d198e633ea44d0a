import type { MethodImplementation, ServiceInterface } from "./server-types.js";
import type { Validate } from "./validation.js";

// What every generated createXService does, written once: binds the handlers it is given,
// validates each call's parameters (undeclared fields refused) and carries the method modes.

/** One method as a generated service describes it. */
export interface MethodSpec {
  /** The validator of the method's parameters. */
  validate: Validate;
  more?: "requires" | "supports";
  upgrade?: "requires" | "supports";
}

/** What a handler returns: the reply, a promise of it, or, for 'more' calls, a stream of replies. */
export type HandlerResult<T> = T | Promise<T> | AsyncIterable<T>;

/** A service interface for a VarlinkServer from typed handlers; a method left out answers MethodNotImplemented. */
export function implementInterface<H extends object>(
  name: string,
  description: string,
  handlers: H,
  methods: { [K in keyof H]-?: MethodSpec },
): ServiceInterface {
  const implementations: Record<string, MethodImplementation> = {};
  for (const [method, spec] of Object.entries<MethodSpec>(methods)) {
    const handler: unknown = (handlers as Record<string, unknown>)[method];
    implementations[method] = {
      handler: typeof handler === "function" ? handler.bind(handlers) : undefined,
      validate: (parameters) => spec.validate(parameters, true)[0]?.path,
      more: spec.more,
      upgrade: spec.upgrade,
    };
  }
  return { name, description, methods: implementations };
}
