import type { InterfaceFiles } from "./interface-files.js";
import type { ServiceProbes } from "./service-probe.js";

// Which bridged service has an interface, for /call/METHOD when no service is named: the ones
// whose GetInfo lists it, or for which an --interface-file describes it. GetInfo is asked by the
// bridge's probes (service-probe.ts): now and then, within a bounded wait, not once per call.

export interface Candidates {
  /** The services that have the interface, in the order they were bridged. */
  services: string[];
  /** Services that are down and were skipped, with the reason: they might have it. */
  down: Array<{ service: string; reason: string }>;
}

export class InterfaceDirectory {
  constructor(
    private readonly probes: ServiceProbes,
    private readonly files: InterfaceFiles | undefined,
  ) {}

  async servicesWith(interfaceName: string): Promise<Candidates> {
    const candidates: Candidates = { services: [], down: [] };
    for (const { service, probe } of await this.probes.all()) {
      const listed = probe.state === "up" && probe.info.interfaces.includes(interfaceName);
      if (listed || this.files?.get(service)?.has(interfaceName) === true) candidates.services.push(service);
      else if (probe.state === "down") candidates.down.push({ service, reason: probe.reason });
    }
    return candidates;
  }
}
