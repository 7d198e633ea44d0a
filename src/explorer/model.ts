import type { StructModel, TypeModel } from "@varlink-ts/runtime";

// What the bridge tells its explorer page about the services behind it: plain JSON, the
// runtime's model of each interface (documentation included), so the page needs no parser.

export interface ExplorerMethod {
  name: string;
  doc?: string;
  input: StructModel;
  output: StructModel;
  /** From systemd's annotations, or "supports" for every method of an interface that annotates none. */
  more?: "requires" | "supports";
  upgrade?: "requires" | "supports";
  /** The method as the IDL writes it, for display. */
  signature: string;
}

export interface ExplorerError {
  name: string;
  doc?: string;
  parameters: StructModel;
}

export interface ExplorerInterface {
  name: string;
  doc?: string;
  /** The description text itself: the page validates parameters with the runtime's rules read from it. */
  description: string;
  /** Where the description came from: the service, or a file given to the bridge (--interface-file). */
  source: "service" | "file";
  types: Record<string, { type: TypeModel; doc?: string }>;
  methods: ExplorerMethod[];
  errors: ExplorerError[];
}

export interface ExplorerService {
  name: string;
  /** GetInfo's reply, or why there is none (the service answers, but not GetInfo). */
  info?: { vendor: string; product: string; version: string; url: string; interfaces: string[] };
  infoError?: string;
  /** Why the service cannot be reached (no connection, or no answer in time); then nothing else is known. */
  unreachable?: string;
  interfaces: ExplorerInterface[];
  /** Interfaces that could not be described, with the reason. */
  undescribed: Array<{ name: string; reason: string }>;
}

export interface ExplorerModel {
  services: ExplorerService[];
}
