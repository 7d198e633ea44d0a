// Every answer of the HTTP bridge other than a reply, by name: its status, what it means, and
// which bodies it carries (UAPI.20's simple mode: a varlink error reply keeps its name and
// parameters; the bridge's own refusals are a {"message"}). The bridge picks its statuses from
// here and the OpenAPI document lists them from here, so that the two cannot drift.

export interface Answer {
  status: number;
  description: string;
  /** The varlink errors answered with this status. */
  errors: readonly string[];
  /** The bridge's own {"message"} body may come with it. */
  message: boolean;
  /** A header the answer always carries, and what it says. */
  header?: { name: string; description: string };
}

export const answers = {
  NoReply: { status: 204, description: "Sent as a oneway call; no reply.", errors: [], message: false },
  InvalidCall: {
    status: 400,
    description: "The parameters are not valid, or the call needs another mode.",
    // The runtime's own: a call nested too deep for the service is the caller's doing.
    errors: [
      "org.varlink.service.InvalidParameter",
      "org.varlink.service.ExpectedMore",
      "org.varlink.service.ExpectedUpgrade",
      "org.varlinkts.CallTooDeep",
    ],
    message: true,
  },
  Unauthorized: {
    status: 401,
    description: "The request carries no bearer token, or the wrong one.",
    errors: [],
    message: true,
    header: { name: "WWW-Authenticate", description: "The scheme the bridge asks for: Bearer." },
  },
  Refused: {
    status: 403,
    description: "The service refused the caller.",
    errors: ["org.varlink.service.PermissionDenied"],
    message: true,
  },
  NotFound: {
    status: 404,
    description: "The service does not know the method or its interface, or the bridge does not know the service.",
    errors: ["org.varlink.service.MethodNotFound", "org.varlink.service.InterfaceNotFound"],
    message: true,
  },
  MethodNotAllowed: {
    status: 405,
    description: "The route takes another HTTP method.",
    errors: [],
    message: true,
    header: { name: "Allow", description: "The methods the route takes." },
  },
  Ambiguous: {
    status: 409,
    description: "Several bridged services have the method's interface: name one.",
    errors: [],
    message: true,
  },
  TooLarge: {
    status: 413,
    description: "The body is over the bridge's limit (--max-body).",
    errors: [],
    message: true,
  },
  NotJson: {
    status: 415,
    description: "The body is not sent as Content-Type: application/json.",
    errors: [],
    message: true,
  },
  UpgradeRequired: {
    status: 426,
    description: "The WebSocket handshake asks for a version other than 13.",
    errors: [],
    message: true,
  },
  // Any error reply that has no status of its own is 500, as is a failure of the bridge itself.
  Failed: { status: 500, description: "An error of the interface, or of the service.", errors: [], message: true },
  NotImplemented: {
    status: 501,
    description: "The service does not implement the method.",
    errors: ["org.varlink.service.MethodNotImplemented"],
    message: false,
  },
  Unreachable: { status: 502, description: "The service cannot be reached, or broke off.", errors: [], message: true },
  // The runtime's own: a service that is closing.
  Unavailable: {
    status: 503,
    description: "The service is shutting down.",
    errors: ["org.varlinkts.ShuttingDown"],
    message: false,
  },
  Timeout: { status: 504, description: "The service did not answer in time.", errors: [], message: true },
} as const satisfies Record<string, Answer>;

export type AnswerName = keyof typeof answers;

const statusOfError = new Map<string, number>(
  Object.values(answers).flatMap(({ status, errors }) => errors.map((name) => [name, status] as const)),
);

/** The status of a varlink error reply: its own, or 500. */
export function statusOfVarlinkError(errorName: string): number {
  return statusOfError.get(errorName) ?? answers.Failed.status;
}
