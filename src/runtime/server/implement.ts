import type { AnyInterfaceDescriptor, AnyMethodDescriptor, Handlers, HandlersFor } from "../interface/descriptor.js";
import type { ServerInterceptor } from "../interceptors/server.js";
import type { Handler, MethodImplementation, ServiceInterface } from "./types.js";

// An interface descriptor and its handlers as the server's method table: each call is checked
// by the descriptor (exactly: undeclared fields are refused) before its handler runs, and the
// modes come with it.

/** How an interface is served. */
export interface ImplementOptions {
  /** Whether every method is implemented (the default), or only some, the others answering MethodNotImplemented. */
  partial?: boolean;
  /** Around every call of this interface, inside the server's own interceptors; the first is the outermost. */
  interceptors?: readonly ServerInterceptor[];
}

/**
 * The interface `descriptor` describes, implemented by `handlers`, as a value for
 * `server.addInterface()` (which also takes the descriptor and handlers themselves). Every
 * method needs a handler unless `{ partial: true }` says otherwise.
 */
export function implementInterface<D extends AnyInterfaceDescriptor>(
  descriptor: D,
  handlers: HandlersFor<D>,
  options?: ImplementOptions & { partial?: false },
): ServiceInterface;
export function implementInterface<D extends AnyInterfaceDescriptor>(
  descriptor: D,
  handlers: Partial<HandlersFor<D>>,
  options: ImplementOptions & { partial: true },
): ServiceInterface;
export function implementInterface<D extends AnyInterfaceDescriptor>(
  descriptor: D,
  handlers: Partial<Handlers<D>>,
  options?: ImplementOptions,
): ServiceInterface {
  return implement(descriptor, handlers, options);
}

/** implementInterface without the overloads, for callers that already checked the handlers' types. */
export function implement<D extends AnyInterfaceDescriptor>(
  descriptor: D,
  handlers: Partial<Handlers<D>>,
  options: ImplementOptions = {},
): ServiceInterface {
  const implementations: Record<string, MethodImplementation> = {};
  const missing: string[] = [];
  for (const [name, method] of Object.entries<AnyMethodDescriptor>(descriptor.methods)) {
    const handler: unknown = (handlers as Record<string, unknown>)[name];
    if (typeof handler !== "function" && handler !== undefined)
      throw new TypeError(`the handler of ${descriptor.name}.${name} is not a function`);
    if (handler === undefined) missing.push(name);
    implementations[name] = {
      handler: typeof handler === "function" ? (handler.bind(handlers) as Handler) : undefined,
      parameters: (parameters) => method.acceptCall(parameters),
      more: method.more,
      upgrade: method.upgrade,
    };
  }
  // The types make every handler required; JavaScript callers and casts get the same rule.
  if (missing.length > 0 && options.partial !== true) {
    throw new TypeError(
      `${descriptor.name}: no handler for ${missing.join(", ")} (pass { partial: true } to answer MethodNotImplemented for them)`,
    );
  }
  return {
    name: descriptor.name,
    description: descriptor.description,
    methods: implementations,
    ...(options.interceptors !== undefined ? { interceptors: options.interceptors } : {}),
  };
}
