import { ConnectionError, VarlinkError, type ErrorClass } from "../errors.js";
import type { CallOptions, Parameters, UpgradeResult, VarlinkConnection } from "../protocol/call-types.js";
import { hasBigIntegers } from "../protocol/json.js";
import type { InterfaceTypes } from "../validation/interface-types.js";
import { convertIntegers } from "../validation/integers.js";
import { ReplyValidationError } from "../validation/issues.js";
import { reportIssues } from "../validation/report.js";
import type { Check } from "../validation/schema.js";

// What every generated client is, written once: a member per varlink method, in the form the
// IDL's annotations give it, built from a small table the generated code passes. The connection
// is only borrowed: error replies of this interface become its generated classes here, so
// clients of many interfaces can share one connection without changing it.

export interface ClientOptions {
  /** Check every reply against its declared type; a mismatch rejects with ReplyValidationError. */
  validateReplies?: boolean | undefined;
}

/** A method's arguments: the parameters may be left out when no field is required. */
export type CallArguments<I> = {} extends I ? [parameters?: I, options?: CallOptions] : [parameters: I, options?: CallOptions];

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

/** A method that may also stream its replies. */
export type MethodWithMore<I, O> = Method<I, O> & WithMore<I, O>;
/** A method that may also upgrade the connection. */
export type MethodWithUpgrade<I, O> = Method<I, O> & WithUpgrade<I, O>;
/** A method that may also stream its replies or upgrade the connection. */
export type MethodWithMoreAndUpgrade<I, O> = Method<I, O> & WithMore<I, O> & WithUpgrade<I, O>;

/** `[Requires 'more' flag]`: the method streams its replies; leaving the loop early closes the connection. */
export type StreamingMethod<I, O> = (...args: CallArguments<I>) => AsyncIterableIterator<O>;

/** `[Requires 'upgrade' flag]`: after the reply the connection carries another protocol. */
export type UpgradingMethod<I, O> = (...args: CallArguments<I>) => Promise<UpgradeResult<O>>;

/** One method as a generated client describes it. */
export interface ClientMethodSpec {
  /** The generated check of the method's reply. */
  reply: Check<unknown>;
  more?: "requires" | "supports";
  upgrade?: "requires" | "supports";
}

/** The generated description of an interface, as its client factory passes it. */
export interface ClientSpec {
  name: string;
  types: InterfaceTypes;
  methods: Record<string, ClientMethodSpec>;
  errors: readonly ErrorClass[];
}

type AnyFunction = (...args: never[]) => unknown;

/** Builds a typed client on `connection`; `C` is the generated client type the table describes. */
export function createClient<C>(connection: VarlinkConnection, options: ClientOptions | undefined, spec: ClientSpec): C {
  const validateReplies = options?.validateReplies === true;
  const { types } = spec;
  const errorClasses = new Map(spec.errors.map((error) => [error.errorName, error]));
  const prefix = `${spec.name}.`;

  /** An error reply of this interface as its generated class, integers converted as for replies. */
  const typedError = (error: unknown): unknown => {
    if (!(error instanceof VarlinkError) || error.constructor !== VarlinkError) return error;
    const errorClass = errorClasses.get(error.errorName);
    if (errorClass === undefined) return error;
    let parameters: unknown = error.parameters;
    if (types.integers === "bigint" || hasBigIntegers(parameters)) {
      const converted = convertIntegers(types, error.errorName.slice(prefix.length), parameters, types.integers);
      if (converted.issues.length > 0) return new ReplyValidationError(error.errorName, converted.issues);
      parameters = converted.value;
    }
    return new errorClass(parameters as never);
  };

  const client: Record<string, AnyFunction> = {};
  for (const [name, method] of Object.entries(spec.methods)) {
    const qualified = prefix + name;
    const key = `${name}.output`;

    /** A reply as its type says: integers converted, and checked when asked to. */
    const received = (reply: Parameters): unknown => {
      let value: unknown = reply;
      if (types.integers === "bigint" || hasBigIntegers(reply)) {
        const converted = convertIntegers(types, key, reply, types.integers);
        if (converted.issues.length > 0) throw new ReplyValidationError(qualified, converted.issues);
        value = converted.value;
      }
      if (validateReplies && !method.reply(value)) throw new ReplyValidationError(qualified, reportIssues(types, key, value));
      return value;
    };

    const call = (parameters: object = {}, callOptions?: CallOptions): Promise<unknown> =>
      connection.call(qualified, parameters, callOptions).then(received, (error: unknown) => Promise.reject(typedError(error)));

    async function* more(parameters: object = {}, callOptions?: CallOptions): AsyncGenerator<unknown, void, undefined> {
      try {
        for await (const reply of connection.more(qualified, parameters, callOptions)) {
          // A handler that paused after its last value (or had none) ends its stream with an
          // empty reply: the server could not know that value was the last. Where {} is not a
          // value of the reply type, it only ends the stream.
          if (isEmpty(reply) && !method.reply(reply)) continue;
          yield received(reply);
        }
      } catch (error) {
        throw typedError(error);
      }
    }

    const oneway = (parameters: object = {}): Promise<void> => connection.oneway(qualified, parameters);

    const upgrade = async (parameters: object = {}, callOptions?: CallOptions): Promise<UpgradeResult<unknown>> => {
      if (connection.upgrade === undefined) throw new ConnectionError(`${qualified} needs 'upgrade', which only a socket connection can carry`);
      try {
        const result = await connection.upgrade(qualified, parameters, callOptions);
        return { parameters: received(result.parameters), stream: result.stream };
      } catch (error) {
        throw typedError(error);
      }
    };

    if (method.upgrade === "requires") client[name] = upgrade;
    else if (method.more === "requires") client[name] = more;
    else {
      client[name] = Object.assign(call, {
        oneway,
        ...(method.more === "supports" ? { more } : {}),
        ...(method.upgrade === "supports" ? { upgrade } : {}),
      });
    }
  }
  return client as C;
}

function isEmpty(reply: unknown): boolean {
  if (typeof reply !== "object" || reply === null) return false;
  for (const _ in reply) return false;
  return true;
}
