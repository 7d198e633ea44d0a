// Every identifier the generator writes comes from here, through one NameScope per module.
//
// Why names cannot collide: IDL type, method and error names match [A-Z][A-Za-z0-9]*, so they
// are kept verbatim (a `type Map` is exported as `Map`). Generated code never refers to a global
// or runtime name that such a name could shadow: the runtime is reached through one namespace
// import, `$`, which no IDL name can be (nor `$isInt`, the local constants checks call), and types are written in syntax (`T[]`,
// `{ [key: string]: T }`) rather than through globals like Array or Record. What is left, the
// names derived from IDL names (`JumpInput`, `isCrate`, `SpaceshipClient`, `check_array_int`),
// is handed out by one scope in which declared names are claimed first, so a derived name yields
// (`JumpInput2`). Wire names (JSON keys, method and error names) stay verbatim.

/** The name of the runtime namespace import in generated modules. */
export const runtimeNamespace = "$";

const identifier = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** A property key as TypeScript source: bare when it is an identifier, quoted otherwise. */
export function propertyKey(wireName: string): string {
  return identifier.test(wireName) ? wireName : JSON.stringify(wireName);
}

/**
 * Whether every object has a property of this name, from Object.prototype (`constructor`,
 * `valueOf`...): TypeScript then reads `{}` as having it, with Object's type for it.
 */
export function isObjectMember(wireName: string): boolean {
  return Object.hasOwn(Object.prototype, wireName);
}

/** `tylium_level` -> `TyliumLevel`, `org.example.ftl` -> `OrgExampleFtl`. */
export function pascalCase(text: string): string {
  return text
    .split(/[^A-Za-z0-9]+/)
    .filter((part) => part !== "")
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join("");
}

/** Hands out unique names in one scope, in the order asked, so output is deterministic. */
export class NameScope {
  private readonly taken = new Set<string>();

  /** `wanted` itself when free, else `wanted2`, `wanted3`... */
  claim(wanted: string): string {
    if (!identifier.test(wanted) || wanted.includes("$"))
      throw new Error(`not a name the generator may write: ${wanted}`);
    let name = wanted;
    for (let n = 2; this.taken.has(name); n++) name = `${wanted}${n}`;
    this.taken.add(name);
    return name;
  }
}

/**
 * The base of an interface's exported names: its last label, `org.example.ftl` -> `Ftl`; the
 * whole name where the last label starts with a digit (`org.example.2fa` -> `OrgExample2fa`).
 */
export function interfaceBaseName(interfaceName: string): string {
  const last = pascalCase(interfaceName.split(".").pop() ?? interfaceName);
  return /^[A-Za-z]/.test(last) ? last : pascalCase(interfaceName);
}

/** The generated file is named after its source: `api/org.example.ftl.varlink` -> `org.example.ftl.ts`. */
export function outputFileName(sourcePath: string): string {
  const base = sourcePath.split(/[\\/]/).pop() ?? sourcePath;
  return `${base.replace(/\.varlink$/, "")}.ts`;
}
