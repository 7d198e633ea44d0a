import { UsageError } from "../io.js";
import { choice, flag, repeatable, text, tristate, type OptionSpec } from "./table.js";

// Options that several commands take, defined once so that a flag means the same wherever it
// appears. A command may say more of one in its help (`described`), never read it otherwise.

/**
 * --timeout SECONDS|infinity, as varlinkctl takes it: a positive number of seconds, or
 * `infinity` (or "") for no limit, which the command gets as Infinity. Absent, the command's
 * default holds.
 */
export function readSeconds(raw: unknown, flag: string): number | undefined {
  if (raw === undefined) return undefined;
  const said = String(raw);
  if (said === "infinity" || said === "") return Number.POSITIVE_INFINITY;
  const seconds = Number(said);
  if (!(seconds > 0) || !Number.isFinite(seconds))
    throw new UsageError(`${flag} takes a positive number of seconds or 'infinity' (got '${said}')`);
  return seconds;
}

const timeout: OptionSpec<number | undefined, false> = {
  ...text("Seconds a call may take, or 'infinity'"),
  read: readSeconds,
  expected: 'a positive number of seconds or "infinity"',
  accepts: (value) => typeof value === "number" && value > 0,
};

/** How JSON is printed, as varlinkctl's --json. */
export const jsonStyles = ["pretty", "short"] as const;

export const sharedOptions = {
  timeout,
  /** FILE in the verbs; the bridge also takes SERVICE=FILE (see bridge/interface-files.ts). */
  interfaceFile: repeatable(
    "A .varlink file describing an interface in place of the service (repeatable), for services whose GetInfo or GetInterfaceDescription fails",
  ),
  json: choice(jsonStyles, "Print JSON indented (default) or on one line"),
  j: tristate("--json=pretty on a terminal, --json=short otherwise (as varlinkctl)"),
  bridge: text(
    "Instead of ADDRESS: a command that speaks varlink on its stdin/stdout (e.g. 'ssh host varlink-ts bridge stdio')",
  ),
  /** NAME=ADDRESS of a bridged service. */
  service: repeatable("NAME=ADDRESS of a service to bridge (repeatable)", { greedy: true }),
  /** Where the output goes: a folder, or for one document a file. */
  out: text("Where the output is written", { alias: "o" }),
  check: flag("Write nothing; exit 1 listing what is out of date"),
  stdin: flag("Read from standard input (same as '-')"),
  lint: flag("Also warn about what systemd refuses"),
} as const;
