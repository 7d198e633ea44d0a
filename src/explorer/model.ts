// What the bridge tells its explorer page about the services behind it: plain JSON, built from
// each interface's parsed description (documentation included), so the page needs no parser.

export type ExplorerType =
  | { kind: "bool" | "int" | "float" | "string" | "object" | "any" }
  | { kind: "named"; name: string }
  | { kind: "array"; element: ExplorerType }
  | { kind: "map"; value: ExplorerType }
  | { kind: "set" }
  | { kind: "nullable"; inner: ExplorerType }
  | { kind: "struct"; fields: ExplorerField[] }
  | { kind: "enum"; values: ExplorerEnumValue[] };

export interface ExplorerField {
  name: string;
  type: ExplorerType;
  /** The type as the IDL writes it, for the field's label. */
  typeText: string;
  doc?: string;
}

export interface ExplorerEnumValue {
  name: string;
  doc?: string;
}

export interface ExplorerMethod {
  name: string;
  doc?: string;
  input: ExplorerType & { kind: "struct" };
  output: ExplorerType & { kind: "struct" };
  /** From systemd's annotations, or "supports" for every method of an interface that annotates none. */
  more?: "requires" | "supports";
  upgrade?: "requires" | "supports";
  /** The method as the IDL writes it, for display. */
  signature: string;
}

export interface ExplorerError {
  name: string;
  doc?: string;
  parameters: ExplorerType & { kind: "struct" };
}

export interface ExplorerInterface {
  name: string;
  doc?: string;
  /** The description text itself: the page validates parameters with the runtime's rules read from it. */
  description: string;
  /** Where the description came from: the service, or a file given to the bridge (--interface-file). */
  source: "service" | "file";
  types: Record<string, { type: ExplorerType; doc?: string }>;
  methods: ExplorerMethod[];
  errors: ExplorerError[];
}

export interface ExplorerService {
  name: string;
  /** GetInfo's reply, or why there is none. */
  info?: { vendor: string; product: string; version: string; url: string; interfaces: string[] };
  infoError?: string;
  interfaces: ExplorerInterface[];
  /** Interfaces that could not be described, with the reason. */
  undescribed: Array<{ name: string; reason: string }>;
}

export interface ExplorerModel {
  services: ExplorerService[];
}
