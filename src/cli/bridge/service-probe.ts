import { ConnectionError, SocketConnection, VarlinkError } from "@varlink-ts/runtime";
import { getInfo, type ServiceInfo } from "../service/introspection.js";

// What the bridge asks of every service on its own, to route /call/METHOD by interface, to build
// /openapi.json and to list the services for the explorer: GetInfo, on a connection of its own,
// within a bounded wait. One service that never answers must not hold up the others, so a
// service that does not answer in time is taken as down, named as such, and not asked again for
// a while; requests that arrive while it is being asked share the one question.

/** The longest the bridge waits for a service's GetInfo on its own (--timeout, if shorter). */
export const probeWait = 3000;
/** How long an answer is trusted: routing costs one GetInfo per service now and then, not per call. */
const answerLifetime = 10_000;
/** How long a service that did not answer, or could not be reached, is taken as down. */
export const downLifetime = 30_000;

export type Probe =
  /** GetInfo answered. */
  | { state: "up"; info: ServiceInfo }
  /** The service answers, but not GetInfo (an error reply, or a reply that is not GetInfo's): it may still have interface files. */
  | { state: "no-info"; reason: string }
  /** No answer within the wait, or no connection at all: skipped until `downLifetime` has passed. */
  | { state: "down"; reason: string };

export class ServiceProbes {
  private readonly known = new Map<string, { probe: Promise<Probe>; until: number }>();

  /** `wait`: milliseconds a service has to answer GetInfo. */
  constructor(
    private readonly services: ReadonlyMap<string, string>,
    readonly wait: number,
  ) {}

  /** What `service` said of itself lately, asked now if it is not known. */
  probe(service: string): Promise<Probe> {
    const known = this.known.get(service);
    if (known !== undefined && known.until > Date.now()) return known.probe;
    const entry = { probe: this.ask(service), until: Number.POSITIVE_INFINITY };
    this.known.set(service, entry);
    void entry.probe.then(
      (probe) => (entry.until = Date.now() + (probe.state === "down" ? downLifetime : answerLifetime)),
    );
    return entry.probe;
  }

  /** Every bridged service's probe, in the order they were bridged; together they take at most one wait. */
  all(): Promise<Array<{ service: string; probe: Probe }>> {
    return Promise.all(
      [...this.services.keys()].map(async (service) => ({ service, probe: await this.probe(service) })),
    );
  }

  private async ask(service: string): Promise<Probe> {
    let settled = false;
    let connection: SocketConnection | undefined;
    let timer: NodeJS.Timeout | undefined;
    const answer = (async (): Promise<Probe> => {
      try {
        const opened = await SocketConnection.connect(this.services.get(service)!);
        // Connected only after the wait ran out: nobody will ask on it.
        if (settled) {
          void opened.close();
          return { state: "down", reason: "" };
        }
        connection = opened;
        return { state: "up", info: await getInfo(opened) };
      } catch (error) {
        if (error instanceof VarlinkError) return { state: "no-info", reason: failureReason(error) };
        const message = failureReason(error);
        // Connected, but what came back is not GetInfo's reply (its types are checked).
        if (connection !== undefined && !(error instanceof ConnectionError))
          return { state: "no-info", reason: message };
        return { state: "down", reason: message };
      }
    })();
    const deadline = new Promise<Probe>((resolve) => {
      timer = setTimeout(
        () => resolve({ state: "down", reason: `no answer to GetInfo within ${seconds(this.wait)}` }),
        this.wait,
      );
    });
    try {
      return await Promise.race([answer, deadline]);
    } finally {
      settled = true;
      clearTimeout(timer);
      void connection?.close();
    }
  }
}

/** Why something could not be learned, short: an error reply by its name (its parameters are the service's detail). */
export function failureReason(error: unknown): string {
  if (error instanceof VarlinkError) return error.errorName;
  return error instanceof Error ? error.message : String(error);
}

function seconds(ms: number): string {
  return `${Number((ms / 1000).toFixed(3))} s`;
}
