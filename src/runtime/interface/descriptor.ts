import type { ErrorClass } from "../protocol/errors.js";
import type { CallOptions, Fields, MessageParameters, UpgradeResult } from "../protocol/call-types.js";
import type { CallContext, Replies, Reply, Upgraded } from "../interceptors/handler.js";
import type { InterfaceTypes } from "../validation/interface-types.js";
import type { ValidationIssue } from "../validation/issues.js";
import type { InterfaceModel } from "../model/model.js";

// One value per interface, as connect-es has one per service: its name and text, its methods
// with their checks and modes, its error classes. Generated code exports one, defineInterface
// makes one from Standard Schemas, and the generic functions take it: createClient(descriptor,
// connection) and server.addInterface(descriptor, handlers). The client's and the handlers'
// types are derived from it, so the two sides cannot drift apart.

/** How a method takes the `more` or `upgrade` flag: it must be set, or it may be. */
export type ModeSupport = "requires" | "supports";

/** A value checked against its type and converted for its reader, or what is wrong with it. */
export type Accepted<T> = { ok: true; value: T } | { ok: false; issues: ValidationIssue[] };

/** A method: the types of its parameters and reply, and how it takes `more` and `upgrade` (by default, neither). */
export interface MethodDescriptor<
  I = unknown,
  O = unknown,
  More extends ModeSupport | undefined = undefined,
  Upgrade extends ModeSupport | undefined = undefined,
> {
  /** The method's name within its interface, `Jump`. */
  readonly name: string;
  /** `requires`: calls without `more` get ExpectedMore; `supports`: a client may stream. */
  readonly more: More;
  /** `requires`: calls without `upgrade` get ExpectedUpgrade. */
  readonly upgrade: Upgrade;
  /** Checks a call's parameters exactly (undeclared fields are refused) and converts them for the handler. */
  acceptCall(parameters: MessageParameters): Accepted<I> | Promise<Accepted<I>>;
  /** Converts a reply for the caller (integers as its types say), checking it first when `check`. */
  acceptReply(reply: MessageParameters, check: boolean): Accepted<O> | Promise<Accepted<O>>;
  /** The parameter and reply types, for the type system only: never set. */
  readonly "~types"?: { readonly input: I; readonly output: O } | undefined;
}

/** Any method descriptor, whatever its types. */
export type AnyMethodDescriptor = MethodDescriptor<any, any, ModeSupport | undefined, ModeSupport | undefined>;

/** A table of method descriptors by name (an interface type or a type literal alike). */
export type MethodTable<M> = { readonly [K in keyof M]: AnyMethodDescriptor };

export interface InterfaceDescriptor<M extends MethodTable<M> = Record<string, AnyMethodDescriptor>> {
  /** The interface's name, `org.example.spaceship`. */
  readonly name: string;
  /** The interface text GetInterfaceDescription returns; its types and documentation are read from it. */
  readonly description: string;
  /** The interface in the runtime's model, as its text says it (read from the text when first needed). */
  readonly model: InterfaceModel;
  /** Its types by key (`Jump.input`): a view over `model`. */
  readonly types: InterfaceTypes;
  readonly methods: M;
  /** The classes error replies of this interface become. */
  readonly errors: readonly ErrorClass[];
  /** Converts an error reply's parameters for its class (integers as its types say). */
  acceptError(errorName: string, parameters: MessageParameters): Accepted<object>;
}

/** Any interface descriptor, whatever its methods. */
export type AnyInterfaceDescriptor = InterfaceDescriptor<any>;

type MethodsOf<D extends AnyInterfaceDescriptor> = D["methods"];
/** The parameters a method takes. */
export type InputOf<M extends AnyMethodDescriptor> = NonNullable<M["~types"]>["input"];
/** The reply a method gives. */
export type OutputOf<M extends AnyMethodDescriptor> = NonNullable<M["~types"]>["output"];

/** A method's arguments: the parameters may be left out when no field is required, and take no field when none is declared. */
export type CallArguments<I> = {} extends I
  ? [parameters?: Fields<I>, options?: CallOptions]
  : [parameters: I, options?: CallOptions];

/** A method called for its one reply. Calls on one connection are pipelined: sent at once, answered in order. */
export interface Method<I, O> {
  (...args: CallArguments<I>): Promise<O>;
  /** Calls with 'oneway': no reply comes, not even an error; resolves once the call is sent. */
  oneway(...args: CallArguments<I>): Promise<void>;
}

/** `[Supports 'more' flag]`: the method may also stream its replies. */
export interface WithMore<I, O> {
  /** Calls with 'more': every reply as it comes; leaving the loop early closes the connection. */
  more(...args: CallArguments<I>): AsyncIterableIterator<O>;
}

/** `[Supports 'upgrade' flag]`: the method may also hand the connection over to another protocol. */
export interface WithUpgrade<I, O> {
  /** Calls with 'upgrade': after the reply the connection carries another protocol. */
  upgrade(...args: CallArguments<I>): Promise<UpgradeResult<O>>;
}

/** `[Requires 'more' flag]`: the method streams its replies; leaving the loop early closes the connection. */
export type StreamingMethod<I, O> = (...args: CallArguments<I>) => AsyncIterableIterator<O>;

/** `[Requires 'upgrade' flag]`: after the reply the connection carries another protocol. */
export type UpgradingMethod<I, O> = (...args: CallArguments<I>) => Promise<UpgradeResult<O>>;

/** A client's member for a method: the forms its modes allow. */
export type ClientMethod<M extends AnyMethodDescriptor> = M["upgrade"] extends "requires"
  ? UpgradingMethod<InputOf<M>, OutputOf<M>>
  : M["more"] extends "requires"
    ? StreamingMethod<InputOf<M>, OutputOf<M>>
    : Method<InputOf<M>, OutputOf<M>> &
        (M["more"] extends "supports" ? WithMore<InputOf<M>, OutputOf<M>> : unknown) &
        (M["upgrade"] extends "supports" ? WithUpgrade<InputOf<M>, OutputOf<M>> : unknown);

/** A typed client of the interface `D` describes: one member per method. */
export type Client<D extends AnyInterfaceDescriptor> = {
  readonly [K in keyof MethodsOf<D>]: ClientMethod<MethodsOf<D>[K]>;
};

/** What a handler of a method returns, by its modes. */
export type HandlerResult<M extends AnyMethodDescriptor> = M["upgrade"] extends "requires"
  ? Upgraded
  : M["more"] extends "requires"
    ? Replies<OutputOf<M>>
    : M["more"] extends "supports"
      ? Reply<OutputOf<M>> | Replies<OutputOf<M>>
      : Reply<OutputOf<M>>;

/** The implementation of one method. */
export type MethodHandler<M extends AnyMethodDescriptor> = (
  parameters: InputOf<M>,
  context: CallContext,
) => HandlerResult<M>;

/**
 * Every method of the interface `D` describes, implemented: leaving one out is a type error.
 * A service that means to implement only some says so (`addInterface(D, handlers, { partial: true })`);
 * the others answer MethodNotImplemented.
 */
export type Handlers<D extends AnyInterfaceDescriptor> = { [K in keyof MethodsOf<D>]: MethodHandler<MethodsOf<D>[K]> };

/**
 * Handlers<D> as functions that take a descriptor and its handlers declare them: a deferred
 * conditional, so that TypeScript takes D from the descriptor alone and never from the handlers
 * (inferring it from them too would widen the literals in their replies, `"idle"` to string).
 */
export type HandlersFor<D> = D extends AnyInterfaceDescriptor ? Handlers<D> : never;
