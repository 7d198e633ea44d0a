import { CallAbortedError, VarlinkError } from "@varlink-ts/runtime";
import { answers, statusOfVarlinkError } from "../../openapi/answers.js";

// How varlink outcomes become HTTP responses (UAPI.20, "Simple HTTP Mode"): an error reply keeps
// its name and parameters and gets its status from the answers table (src/openapi/answers.ts,
// which the OpenAPI document reads too); a service that cannot be reached or breaks off is 502,
// with a human-readable {"message"} body as for every failure of the bridge's own.

/** A varlink error reply, as the body of an HTTP response or the last record of a stream. */
export interface ErrorBody {
  error: string;
  parameters: object;
}

/** What the bridge itself says when it cannot pass a call on, or the service fails it. */
export interface MessageBody {
  message: string;
}

/** The response for what a call to a service ended in, other than a reply. */
export function errorResponse(error: unknown): { status: number; body: ErrorBody | MessageBody } {
  if (error instanceof VarlinkError)
    return {
      status: statusOfVarlinkError(error.errorName),
      body: { error: error.errorName, parameters: error.parameters },
    };
  if (error instanceof CallAbortedError)
    return {
      status: answers.Timeout.status,
      body: { message: `the service did not answer in time: ${error.message}` },
    };
  return {
    status: answers.Unreachable.status,
    body: { message: `the service failed: ${error instanceof Error ? error.message : String(error)}` },
  };
}
