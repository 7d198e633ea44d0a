import fc from "fast-check";
import type { EmitType, TypeRef } from "../../src/codegen/emit-model.js";

// Random values of a generated type, driven by the generator's own model, and corruptions that
// break a value at one known path.

export type Types = ReadonlyMap<string, EmitType>;

const json = fc.jsonValue({ maxDepth: 2 }) as fc.Arbitrary<unknown>;
const key = fc.string({ maxLength: 6 });

export function arbitraryValue(ref: TypeRef, types: Types, depth = 0): fc.Arbitrary<unknown> {
  switch (ref.kind) {
    case "bool":
      return fc.boolean();
    case "int":
      return fc.maxSafeInteger();
    case "float":
      return fc.double({ noNaN: true, noDefaultInfinity: true });
    case "string":
      return fc.string();
    case "object":
      return fc.dictionary(key, json, { maxKeys: 3 });
    case "any":
      return json.filter((v) => v !== null);
    case "set":
      return fc.dictionary(key, fc.constant({}), { maxKeys: 3 });
    // Deep down, containers stay empty and nullables null, so that recursive types end.
    case "array":
      return depth > 2 ? fc.constant([]) : fc.array(arbitraryValue(ref.element, types, depth + 1), { maxLength: 3 });
    case "map":
      return depth > 2
        ? fc.constant({})
        : fc.dictionary(key, arbitraryValue(ref.value, types, depth + 1), { maxKeys: 3 });
    case "nullable":
      return depth > 2 ? fc.constant(null) : fc.option(arbitraryValue(ref.inner, types, depth), { nil: null });
    case "named":
      return namedValue(types.get(ref.name)!, types, depth + 1);
  }
}

export function namedValue(type: EmitType, types: Types, depth = 0): fc.Arbitrary<unknown> {
  if (type.kind === "enum") return fc.constantFrom(...type.values.map((v) => v.name));
  const fields = type.fields.map((f) => {
    const value = arbitraryValue(f.type, types, depth);
    // An optional field may be absent, null, or set.
    return f.optional
      ? fc.option(fc.option(value, { nil: null }), { nil: undefined }).map((v) => [f.wireName, v] as const)
      : value.map((v) => [f.wireName, v] as const);
  });
  return fc.tuple(...fields).map((entries) => Object.fromEntries(entries.filter(([, v]) => v !== undefined)));
}

/** A value that no position of type `ref` accepts. */
export function wrongValue(ref: TypeRef, types: Types): unknown {
  switch (ref.kind) {
    case "bool":
      return "true";
    case "int":
      return 1.5;
    case "float":
      return "1.0";
    case "string":
      return 42;
    case "object":
    case "set":
    case "map":
      return ["not", "an", "object"];
    case "any":
      return null;
    case "array":
      return { not: "an array" };
    case "nullable":
      return wrongValue(ref.inner, types);
    case "named":
      return types.get(ref.name)!.kind === "enum" ? "no-such-value" : 7;
  }
}

export interface Corruption {
  value: unknown;
  path: string;
}

/** Every place in `value` (of type `type`) with the path the validator must report there. */
export function corruptions(type: EmitType, value: unknown, types: Types, path = ""): Corruption[] {
  if (type.kind === "enum") return [{ value: "no-such-value", path }];
  const object = value as Record<string, unknown>;
  const out: Corruption[] = [{ value: 7, path }];
  const at = (field: string): string => (path === "" ? field : `${path}.${field}`);
  for (const field of type.fields) {
    const current = object[field.wireName];
    for (const inner of corruptRef(field.type, current, types, at(field.wireName), field.optional)) {
      out.push({ value: { ...object, [field.wireName]: inner.value }, path: inner.path });
    }
  }
  return out;
}

function corruptRef(ref: TypeRef, value: unknown, types: Types, path: string, optional: boolean): Corruption[] {
  // `?any` accepts every JSON value: nothing can be planted there.
  const acceptsAll =
    (optional || ref.kind === "nullable") &&
    (ref.kind === "any" || (ref.kind === "nullable" && ref.inner.kind === "any"));
  if (acceptsAll) return [];
  const out: Corruption[] = [{ value: wrongValue(ref, types), path }];
  if (value === undefined || value === null) return out;
  const inner = ref.kind === "nullable" ? ref.inner : ref;
  if (inner.kind === "array" && Array.isArray(value) && value.length > 0) {
    for (const c of corruptRef(inner.element, value[0], types, `${path}[0]`, false))
      out.push({ value: [c.value, ...value.slice(1)], path: c.path });
  } else if (inner.kind === "map" && typeof value === "object") {
    const first = Object.keys(value as object)[0];
    if (first !== undefined) {
      for (const c of corruptRef(
        inner.value,
        (value as Record<string, unknown>)[first],
        types,
        `${path}[${JSON.stringify(first)}]`,
        false,
      )) {
        out.push({ value: { ...(value as object), [first]: c.value }, path: c.path });
      }
    }
  } else if (inner.kind === "named") {
    const named = types.get(inner.name)!;
    for (const c of corruptions(named, value, types, path).slice(1)) out.push(c);
  }
  return out;
}
