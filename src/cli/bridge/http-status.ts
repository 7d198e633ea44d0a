import { CallAbortedError, VarlinkError } from "@varlink-ts/runtime";

// How varlink outcomes become HTTP responses (UAPI.20, "Simple HTTP Mode"): an error reply keeps
// its name and parameters and gets the status of the spec's table; a service that cannot be
// reached or breaks off is 502, with a human-readable {"message"} body as for every failure of
// the bridge's own.

const statusOfError: Record<string, number> = {
  "org.varlink.service.InvalidParameter": 400,
  "org.varlink.service.ExpectedMore": 400,
  "org.varlink.service.ExpectedUpgrade": 400,
  "org.varlink.service.InterfaceNotFound": 404,
  "org.varlink.service.MethodNotFound": 404,
  "org.varlink.service.MethodNotImplemented": 501,
  "org.varlink.service.PermissionDenied": 403,
  // The runtime's own: the call nested too deep is the client's doing; a closing service is unavailable.
  "org.varlinkts.CallTooDeep": 400,
  "org.varlinkts.ShuttingDown": 503,
};

/** A varlink error reply, as the body of an HTTP response or the last record of a stream. */
export interface ErrorBody {
  error: string;
  parameters: object;
}

/** What the bridge itself says when it cannot pass a call on, or the service fails it. */
export interface MessageBody {
  message: string;
}

export function statusOfVarlinkError(errorName: string): number {
  return statusOfError[errorName] ?? 500;
}

/** The response for what a call to a service ended in, other than a reply. */
export function errorResponse(error: unknown): { status: number; body: ErrorBody | MessageBody } {
  if (error instanceof VarlinkError) return { status: statusOfVarlinkError(error.errorName), body: { error: error.errorName, parameters: error.parameters } };
  if (error instanceof CallAbortedError) return { status: 504, body: { message: `the service did not answer in time: ${error.message}` } };
  return { status: 502, body: { message: `the service failed: ${error instanceof Error ? error.message : String(error)}` } };
}
