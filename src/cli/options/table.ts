import type { Argv, Options, PositionalOptions } from "yargs";
import { UsageError } from "../io.js";

// A command's options are one table: each entry says how yargs parses and shows the option (the
// help and the completion come from that), what value the command gets (its type is inferred
// from the table) and whether the configuration file may set it (the file's check comes from
// that). A key is the option's name in camelCase; the flag is its kebab-case spelling.

/** One option or positional of a command. `T` is the value the command gets; `C` whether a config file may set it. */
export interface OptionSpec<T, C extends boolean = boolean> {
  /** How yargs parses and shows it. */
  readonly yargs: Options & PositionalOptions & { describe: string };
  /** A positional argument rather than a --flag. */
  readonly positional: boolean;
  /** The value the command gets from what yargs parsed; bad input is a UsageError naming the flag. */
  readonly read: (raw: unknown, flag: string) => T;
  /** The configuration file may set it (under the option's key). */
  readonly config: C;
  /** What a value in the configuration file must be, said as "'key' must be …". */
  readonly expected: string;
  /** Whether a value in the configuration file is one `read` could give. */
  readonly accepts: (value: unknown) => boolean;
  /** For completion: a positional that names a method or interfaces of the service. */
  readonly completes?: "methods" | "interfaces";
}

/**
 * A command's options by key. `any`, not `unknown`: as a context, `unknown` would be inferred for
 * the value types of the specs a table is written with.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type OptionTable = Readonly<Record<string, OptionSpec<any>>>;

/** What a command gets: one value per entry of its table, typed by the table. */
export type OptionValues<Table extends OptionTable> = {
  -readonly [K in keyof Table]: Table[K] extends OptionSpec<infer V> ? V : never;
};

/** What a configuration file may hold: the entries the table marks as settable there. */
export type ConfigValues<Table extends OptionTable> = {
  -readonly [K in keyof Table as Table[K] extends OptionSpec<unknown, true> ? K : never]?: Table[K] extends OptionSpec<
    infer V
  >
    ? Exclude<V, undefined>
    : never;
};

/** The flag of a key: `runtimeImport` is `--runtime-import`; one-letter keys (`E`, `j`) stay as they are. */
export function flagName(key: string): string {
  return key.replace(/(?<=[a-z])[A-Z]/g, (letter) => `-${letter.toLowerCase()}`);
}

const isString = (value: unknown): value is string => typeof value === "string";
const listOf = (raw: unknown): string[] => ([] as unknown[]).concat(raw ?? []).map(String);

function spec<T>(
  yargs: OptionSpec<T>["yargs"],
  read: (raw: unknown, flag: string) => T,
  expected: string,
  accepts: (value: unknown) => boolean,
): OptionSpec<T, false> {
  return { yargs, positional: false, read, config: false, expected, accepts };
}

/** A switch; `--no-NAME` turns it off. */
export function flag(
  describe: string,
  options: { alias?: string; default?: boolean } = {},
): OptionSpec<boolean, false> {
  return spec(
    { type: "boolean", default: false, describe, ...options },
    (raw) => raw === true,
    "true or false",
    (value) => typeof value === "boolean",
  );
}

/** A switch whose absence is told apart from `--no-NAME`: a setting the config file or a default decides otherwise. */
export function tristate(describe: string): OptionSpec<boolean | undefined, false> {
  return spec(
    { type: "boolean", describe },
    (raw) => (typeof raw === "boolean" ? raw : undefined),
    "true or false",
    (value) => typeof value === "boolean",
  );
}

/** A string value. */
export function text(describe: string, options?: { alias?: string }): OptionSpec<string | undefined, false>;
export function text(describe: string, options: { alias?: string; default: string }): OptionSpec<string, false>;
export function text(
  describe: string,
  options: { alias?: string; default?: string } = {},
): OptionSpec<string | undefined, false> {
  return spec(
    { type: "string", describe, ...options },
    (raw) => (raw === undefined ? undefined : String(raw)),
    "a string",
    isString,
  );
}

/**
 * A string that may be given several times. By default not yargs' `array`, which would take
 * the positionals after it: repeating the flag makes the list.
 */
export function repeatable(describe: string, options: { greedy?: boolean } = {}): OptionSpec<string[], false> {
  // greedy: `--service a b` takes both, for commands with no positionals to lose (yargs' `array`).
  const yargs =
    options.greedy === true
      ? { type: "string" as const, array: true, default: [], describe }
      : { type: "string" as const, describe };
  return spec(yargs, listOf, "an array of strings", (value) => Array.isArray(value) && value.every(isString));
}

/** A number (of bytes, of runs); `fallback` is the default help shows. */
export function count(
  describe: string,
  fallback?: undefined,
  options?: { hidden?: boolean },
): OptionSpec<number | undefined, false>;
export function count(describe: string, fallback: number): OptionSpec<number, false>;
export function count(
  describe: string,
  fallback?: number,
  options: { hidden?: boolean } = {},
): OptionSpec<number | undefined, false> {
  return spec(
    { type: "number", describe, ...options, ...(fallback !== undefined ? { default: fallback } : {}) },
    (raw) => raw as number | undefined,
    "a number",
    (value) => typeof value === "number",
  );
}

/** One of `choices`; `value` maps a spelling to what the command gets (e.g. "none" to ""). */
export function choice<const C extends readonly string[], V = C[number]>(
  choices: C,
  describe: string,
  options: { default?: C[number]; value?: (chosen: C[number]) => V } = {},
): OptionSpec<V | undefined, false> {
  const value = options.value ?? ((chosen: C[number]) => chosen as unknown as V);
  const values = choices.map(value);
  const said = values.map((v) => JSON.stringify(v));
  return spec(
    { choices, describe, ...(options.default !== undefined ? { default: options.default } : {}) },
    (raw) => (raw === undefined ? undefined : value(raw as C[number])),
    `${said.slice(0, -1).join(", ")} or ${said.at(-1)}`,
    (v) => values.includes(v as V),
  );
}

/** `choice` with a default: the command always gets one. */
export function choiceWithDefault<const C extends readonly string[]>(
  choices: C,
  describe: string,
  fallback: C[number],
): OptionSpec<C[number], false> {
  return choice(choices, describe, { default: fallback }) as OptionSpec<C[number], false>;
}

/** The spec as a positional argument; `completes` says what a service lists for it. A required one is never undefined. */
export function positional<T>(
  option: OptionSpec<T, false>,
  more: { demandOption: true; completes?: "methods" | "interfaces" },
): OptionSpec<Exclude<T, undefined>, false>;
export function positional<T>(
  option: OptionSpec<T, false>,
  more?: { array?: boolean; demandOption?: boolean; completes?: "methods" | "interfaces" },
): OptionSpec<T, false>;
export function positional<T>(
  option: OptionSpec<T, false>,
  more: { demandOption?: boolean; array?: boolean; completes?: "methods" | "interfaces" } = {},
): OptionSpec<T, false> {
  const { completes, ...yargs } = more;
  const array = yargs.array === true ? { default: option.yargs.default ?? [] } : {};
  return {
    ...option,
    yargs: { ...option.yargs, ...yargs, ...array },
    positional: true,
    ...(completes !== undefined ? { completes } : {}),
  };
}

/** The spec, settable in the configuration file too. */
export function configurable<T>(option: OptionSpec<T, false>): OptionSpec<T, true> {
  return { ...option, config: true };
}

/** The same option (same type, same reading) with what help says of it in one command, and maybe its default there. */
export function described<T, C extends boolean>(option: OptionSpec<T, C>, describe: string): OptionSpec<T, C>;
export function described<T, C extends boolean>(
  option: OptionSpec<T, C>,
  describe: string,
  more: { default: Exclude<T, undefined> },
): OptionSpec<Exclude<T, undefined>, C>;
export function described<T, C extends boolean>(
  option: OptionSpec<T, C>,
  describe: string,
  more: { default?: T } = {},
): OptionSpec<T, C> {
  return { ...option, yargs: { ...option.yargs, describe, ...more } };
}

/** Adds a table's options and positionals to a command's yargs. */
export function addOptions<T>(y: Argv<T>, table: OptionTable): Argv<T> {
  let built = y;
  for (const [key, option] of Object.entries(table)) {
    built = option.positional ? built.positional(key, option.yargs) : built.option(flagName(key), option.yargs);
  }
  return built;
}

/** What the command gets from yargs' argv, one value per entry, read as its table says. */
export function readOptions<Table extends OptionTable>(
  table: Table,
  argv: Record<string, unknown>,
): OptionValues<Table> {
  const values: Record<string, unknown> = {};
  for (const [key, option] of Object.entries(table))
    values[key] = option.read(
      argv[option.positional ? key : flagName(key)],
      option.positional ? key.toUpperCase() : `--${flagName(key)}`,
    );
  return values as OptionValues<Table>;
}

/** The flags a command line may carry for a command (`--out`, `-o`, `-E`…), for help and the tests. */
export function flagsOf(table: OptionTable): string[] {
  return Object.entries(table)
    .filter(([, option]) => !option.positional && option.yargs.hidden !== true)
    .map(([key]) => (key.length === 1 ? `-${key}` : `--${flagName(key)}`));
}

/**
 * A configuration file's object checked against the table: only the keys it marks settable,
 * each of its type. `where` names the file in every message.
 */
export function checkConfig<Table extends OptionTable>(
  table: Table,
  value: unknown,
  where: string,
): ConfigValues<Table> {
  if (typeof value !== "object" || value === null || Array.isArray(value))
    throw new UsageError(`${where}: expected an object`);
  const settable = Object.keys(table).filter((key) => table[key]!.config);
  for (const [key, setting] of Object.entries(value)) {
    if (!settable.includes(key))
      throw new UsageError(`${where}: unknown option '${key}' (known: ${settable.join(", ")})`);
    if (setting !== undefined && !table[key]!.accepts(setting))
      throw new UsageError(`${where}: '${key}' must be ${table[key]!.expected}`);
  }
  return value as ConfigValues<Table>;
}
