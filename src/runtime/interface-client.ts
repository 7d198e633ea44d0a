import type { CallOptions, UpgradeResult } from "./client.js";
import type { VarlinkConnection } from "./connection.js";
import { ConnectionError, type ErrorFactory } from "./errors.js";
import { assertValidReply, type Validate } from "./validation.js";

export interface InterfaceClientOptions {
  /** Check every reply against its declared type; a mismatch rejects with ReplyValidationError. */
  validateReplies?: boolean;
}

/**
 * What every generated client does, written once: calls in each mode, optional validation of
 * replies, and the interface's error classes registered on the connection.
 */
export class InterfaceClient {
  private readonly validateReplies: boolean;

  constructor(
    readonly connection: VarlinkConnection,
    options: InterfaceClientOptions,
    /** The interface's name: methods are called by their own name, qualified here. */
    private readonly interfaceName: string,
    errors: ReadonlyArray<readonly [string, ErrorFactory]>,
  ) {
    this.validateReplies = options.validateReplies === true;
    for (const [name, factory] of errors) connection.registerError(name, factory);
  }

  protected async call<T>(name: string, parameters: object, options: CallOptions | undefined, validate: Validate): Promise<T> {
    const method = this.qualified(name);
    const reply = await this.connection.call<T>(method, parameters, options);
    if (this.validateReplies) assertValidReply(method, reply, validate);
    return reply;
  }

  protected async *more<T>(name: string, parameters: object, options: CallOptions | undefined, validate: Validate): AsyncGenerator<T, void, undefined> {
    const method = this.qualified(name);
    for await (const reply of this.connection.more<T>(method, parameters, options)) {
      // A stream whose handler paused after its last value (or had none) ends with an empty
      // reply: the server could not know that value was the last. Where {} is not a valid
      // reply, it is that end marker, not a value.
      if (isEmptyReply(reply) && validate(reply).length > 0) continue;
      if (this.validateReplies) assertValidReply(method, reply, validate);
      yield reply;
    }
  }

  protected oneway(name: string, parameters: object): Promise<void> {
    return this.connection.oneway(this.qualified(name), parameters);
  }

  protected async upgrade<T>(name: string, parameters: object, options: CallOptions | undefined, validate: Validate): Promise<UpgradeResult<T>> {
    const method = this.qualified(name);
    if (this.connection.upgrade === undefined) throw new ConnectionError(`${method} needs 'upgrade', which only a socket connection can carry`);
    const result = await this.connection.upgrade<T>(method, parameters, options);
    if (this.validateReplies) assertValidReply(method, result.parameters, validate);
    return result;
  }

  private qualified(name: string): string {
    return `${this.interfaceName}.${name}`;
  }
}

function isEmptyReply(reply: unknown): boolean {
  return typeof reply === "object" && reply !== null && Object.keys(reply).length === 0;
}
