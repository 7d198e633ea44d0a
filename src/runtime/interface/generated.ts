import type { ErrorClass } from "../protocol/errors.js";
import type { MessageParameters } from "../protocol/call-types.js";
import { hasBigIntegers } from "../protocol/json.js";
import type { InterfaceTypes } from "../validation/interface-types.js";
import { convertIntegers } from "../validation/integers.js";
import { reportIssues } from "../validation/report.js";
import type { Check } from "../validation/schema.js";
import type {
  Accepted,
  AnyMethodDescriptor,
  InputOf,
  InterfaceDescriptor,
  MethodTable,
  ModeSupport,
  OutputOf,
} from "./descriptor.js";

// The descriptor generated code exports, from the checks it generates: calls are checked
// exactly, replies only when asked, integers converted as the generator's integer mode says,
// and problems reported from the interface text (read only when a value fails).

/** One method as generated code writes it; the interface's builder makes it a descriptor. */
export interface GeneratedMethod<I, O, More extends ModeSupport | undefined, Upgrade extends ModeSupport | undefined> {
  readonly parameters: Check<I>;
  readonly reply: Check<O>;
  readonly more: More;
  readonly upgrade: Upgrade;
}

/** A method from its generated checks; the types come from the checks, the modes from `modes`. */
export function method<
  I,
  O,
  More extends ModeSupport | undefined = undefined,
  Upgrade extends ModeSupport | undefined = undefined,
>(
  parameters: Check<I>,
  reply: Check<O>,
  modes: { more?: More; upgrade?: Upgrade } = {},
): GeneratedMethod<I, O, More, Upgrade> {
  return { parameters, reply, more: modes.more as More, upgrade: modes.upgrade as Upgrade };
}

/** What generated code passes for each method of `M`: checks of its types, and its modes. */
type GeneratedMethods<M extends MethodTable<M>> = {
  [K in keyof M]: GeneratedMethod<InputOf<M[K]>, OutputOf<M[K]>, M[K]["more"], M[K]["upgrade"]>;
};

const exact = { exact: true };

/** `value` converted for `key`'s integer mode and checked; issues come from the interface text. */
function accept<T>(
  types: InterfaceTypes,
  key: string,
  value: MessageParameters,
  check: Check<T> | undefined,
  exactly: boolean,
): Accepted<T> {
  let converted: unknown = value;
  if (types.integers === "bigint" || hasBigIntegers(value)) {
    const result = convertIntegers(types, key, value, types.integers);
    if (result.issues.length > 0) return { ok: false, issues: result.issues };
    converted = result.value;
  }
  if (check === undefined || check(converted, exactly ? exact : undefined)) return { ok: true, value: converted as T };
  return { ok: false, issues: reportIssues(types, key, converted, exactly ? exact : {}) };
}

/** The interface descriptor generated code exports (`export const Spaceship = …`). */
export function generatedInterface<M extends MethodTable<M>>(spec: {
  name: string;
  description: string;
  types: InterfaceTypes;
  methods: GeneratedMethods<M>;
  errors: readonly ErrorClass[];
}): InterfaceDescriptor<M> {
  const { types } = spec;
  const methods: Record<string, AnyMethodDescriptor> = {};
  for (const [name, generated] of Object.entries<
    GeneratedMethod<unknown, unknown, ModeSupport | undefined, ModeSupport | undefined>
  >(spec.methods)) {
    methods[name] = {
      name,
      more: generated.more,
      upgrade: generated.upgrade,
      acceptCall: (parameters) => accept(types, `${name}.input`, parameters, generated.parameters, true),
      acceptReply: (reply, check) => accept(types, `${name}.output`, reply, check ? generated.reply : undefined, false),
    };
  }
  const prefix = `${spec.name}.`;
  return {
    name: spec.name,
    description: spec.description,
    // Read from the description on first use, so that loading a generated module stays cheap.
    get model() {
      return types.model;
    },
    types,
    // Built from the generated methods of M, one by one.
    methods: methods as unknown as M,
    errors: spec.errors,
    acceptError: (errorName, parameters) => accept(types, errorName.slice(prefix.length), parameters, undefined, false),
  };
}
