import { CallAbortedError, ConnectionError, VarlinkError } from "@varlink-ts/runtime";

// How varlink outcomes become HTTP statuses (UAPI.20): InvalidParameter 400, PermissionDenied
// 403, MethodNotFound 404, other errors 500; an unreachable or broken service 502.

const statusOfError: Record<string, number> = {
  "org.varlink.service.InvalidParameter": 400,
  "org.varlink.service.PermissionDenied": 403,
  "org.varlink.service.MethodNotFound": 404,
  "org.varlink.service.InterfaceNotFound": 404,
};

export interface ErrorBody {
  error: string;
  parameters: object;
}

export function errorResponse(error: unknown): { status: number; body: ErrorBody } {
  if (error instanceof VarlinkError) return { status: statusOfError[error.errorName] ?? 500, body: { error: error.errorName, parameters: error.parameters } };
  if (error instanceof ConnectionError) return { status: 502, body: { error: "org.varlinkts.ServiceUnavailable", parameters: { reason: error.message } } };
  if (error instanceof CallAbortedError) return { status: 504, body: { error: "org.varlinkts.Timeout", parameters: { reason: error.message } } };
  return { status: 502, body: { error: "org.varlinkts.ServiceUnavailable", parameters: { reason: error instanceof Error ? error.message : String(error) } } };
}
