import { ConnectionError, isVarlinkError, VarlinkError } from "../protocol/errors.js";
import type { Accepted, AnyInterfaceDescriptor, AnyMethodDescriptor, Client } from "../interface/descriptor.js";
import type { CallOptions, MessageParameters, UpgradeResult, VarlinkConnection } from "../protocol/call-types.js";
import { ReplyValidationError } from "../validation/issues.js";
import { intercept, type ClientInterceptor } from "../interceptors/client.js";
import { carryFds } from "../fds/carry.js";

// A typed client of any interface, from its descriptor: a member per varlink method, in the form
// its modes give it. The connection is only borrowed: error replies of this interface become
// its error classes here, so clients of many interfaces can share one connection unchanged.

/** How createClient's client checks replies and which interceptors it runs. */
export interface ClientOptions {
  /** Check every reply against its declared type; a mismatch rejects with ReplyValidationError. */
  validateReplies?: boolean | undefined;
  /**
   * Around every call this client makes, the first outermost. They see the call as it goes on
   * the wire and the reply as it came, before this client converts and checks it.
   */
  interceptors?: readonly ClientInterceptor[] | undefined;
}

type AnyFunction = (...args: never[]) => unknown;

/**
 * A client of the interface `descriptor` describes, on `connection`, which it borrows: several
 * clients may share one, and closing it is the caller's.
 */
export function createClient<D extends AnyInterfaceDescriptor>(
  descriptor: D,
  connection: VarlinkConnection,
  options: ClientOptions = {},
): Client<D> {
  const intercepted = intercept(connection, options.interceptors);
  const validateReplies = options.validateReplies === true;
  const errorClasses = new Map(descriptor.errors.map((error) => [error.errorName, error]));
  const prefix = `${descriptor.name}.`;

  /** An error reply of this interface as its class, integers converted as for replies. */
  const typedError = (error: unknown): unknown => {
    // Whatever an interceptor threw (a revoked Proxy even) is passed on, not inspected.
    if (!isVarlinkError(error) || error.constructor !== VarlinkError) return error;
    const errorClass = errorClasses.get(error.errorName);
    if (errorClass === undefined) return error;
    const accepted = descriptor.acceptError(error.errorName, error.parameters);
    if (!accepted.ok) return new ReplyValidationError(error.errorName, accepted.issues);
    return new errorClass(accepted.value as never);
  };

  const client: Record<string, AnyFunction> = {};
  for (const [name, method] of Object.entries<AnyMethodDescriptor>(descriptor.methods)) {
    client[name] = clientMember(prefix + name, method, intercepted, validateReplies, typedError);
  }
  // The members were built from the same methods the type maps over.
  return client as Client<D>;
}

function clientMember(
  qualified: string,
  method: AnyMethodDescriptor,
  connection: VarlinkConnection,
  validateReplies: boolean,
  typedError: (error: unknown) => unknown,
): AnyFunction {
  /** A reply as its type says: integers converted, and checked when asked to (at once, unless the check is asynchronous). */
  const received = (reply: MessageParameters): unknown => {
    const accepted = method.acceptReply(reply, validateReplies);
    return accepted instanceof Promise
      ? accepted.then((settled) => acceptedValue(qualified, settled, reply))
      : acceptedValue(qualified, accepted, reply);
  };

  const call = (parameters: object = {}, callOptions?: CallOptions): Promise<unknown> =>
    connection
      .call(qualified, parameters, callOptions)
      .then(received, (error: unknown) => Promise.reject(typedError(error)));

  async function* more(parameters: object = {}, callOptions?: CallOptions): AsyncGenerator<unknown, void, undefined> {
    try {
      for await (const reply of connection.more(qualified, parameters, callOptions)) {
        // A handler that paused after its last value (or had none) ends its stream with an
        // empty reply: the server could not know that value was the last. Where {} is not a
        // value of the reply type, it only ends the stream.
        if (isEmpty(reply) && !(await method.acceptReply(reply, true)).ok) continue;
        yield await received(reply);
      }
    } catch (error) {
      throw typedError(error);
    }
  }

  const oneway = (parameters: object = {}): Promise<void> => connection.oneway(qualified, parameters);

  const upgrade = async (parameters: object = {}, callOptions?: CallOptions): Promise<UpgradeResult<unknown>> => {
    if (connection.upgrade === undefined)
      throw new ConnectionError(`${qualified} needs 'upgrade', which only a socket connection can carry`);
    try {
      const result = await connection.upgrade(qualified, parameters, callOptions);
      return { parameters: await received(result.parameters), stream: result.stream };
    } catch (error) {
      throw typedError(error);
    }
  };

  if (method.upgrade === "requires") return upgrade;
  if (method.more === "requires") return more;
  return Object.assign(call, {
    oneway,
    ...(method.more === "supports" ? { more } : {}),
    ...(method.upgrade === "supports" ? { upgrade } : {}),
  });
}

function acceptedValue(qualified: string, accepted: Accepted<unknown>, reply: MessageParameters): unknown {
  if (!accepted.ok) throw new ReplyValidationError(qualified, accepted.issues);
  return carryFds(reply, accepted.value);
}

function isEmpty(reply: unknown): boolean {
  if (typeof reply !== "object" || reply === null) return false;
  for (const _ in reply) return false;
  return true;
}
