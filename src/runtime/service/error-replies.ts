import {
  CallTimedOut,
  CallTooDeep,
  FileDescriptorsNotSupported,
  InternalError,
  ReplyTooDeep,
  ReplyTooLarge,
  ShuttingDown,
  VarlinkError,
  type ErrorClass,
} from "../protocol/errors.js";
import type { MessageParameters } from "../protocol/call-types.js";
import {
  ExpectedMore,
  ExpectedUpgrade,
  InterfaceNotFound,
  InvalidParameter,
  MethodNotFound,
  MethodNotImplemented,
  PermissionDenied,
} from "./org.varlink.service.js";

/** Made on first use, so that a bundle that never reads an error reply carries none of the classes. */
let standardErrors: Map<string, ErrorClass> | undefined;

/**
 * The error an error reply stands for: the org.varlink.service errors and the runtime's own as
 * their classes (so `instanceof MethodNotFound` works on every connection), others as VarlinkError.
 */
export function errorFromReply(name: string, parameters: MessageParameters): VarlinkError<object> {
  // The classes alone, not the descriptor: a bundle that only reads error replies stays small.
  standardErrors ??= new Map(
    [
      ...[
        InterfaceNotFound,
        MethodNotFound,
        MethodNotImplemented,
        InvalidParameter,
        PermissionDenied,
        ExpectedMore,
        ExpectedUpgrade,
      ],
      ...[
        InternalError,
        CallTimedOut,
        CallTooDeep,
        ReplyTooLarge,
        ReplyTooDeep,
        ShuttingDown,
        FileDescriptorsNotSupported,
      ],
    ].map((c): [string, ErrorClass] => [c.errorName, c]),
  );
  const known = standardErrors.get(name);
  return known !== undefined ? new known(parameters as never) : new VarlinkError(name, parameters);
}
