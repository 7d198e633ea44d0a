// Every identifier the generator writes comes from here. Wire names (JSON keys, method and
// error names) stay verbatim; TypeScript names are escaped where they would clash with a
// reserved word or with a global the generated code uses, and made unique per file.

const reservedWords = new Set(
  `break case catch class const continue debugger default delete do else enum export extends false finally for function
  if import in instanceof new null return super switch this throw true try typeof var void while with as implements
  interface let package private protected public static yield any boolean constructor declare get module require number
  set string symbol type from of async await never unknown object undefined bigint infer is keyof readonly unique`.split(/\s+/),
);

/** Globals and runtime names the generated code refers to; a user type may not take them. */
const usedGlobals = new Set([
  "Array", "AsyncIterable", "AsyncIterableIterator", "Boolean", "Error", "JSON", "Number", "Object", "Promise", "Record",
  "ReadonlySet", "Set", "String", "Symbol", "CallContext", "CallOptions", "ErrorFactory", "JsonObject", "JsonValue",
  "ServiceInterface", "StringSet", "UpgradeResult", "ValidationIssue", "VarlinkClient", "VarlinkConnection", "VarlinkError", "ReplyValidationError",
]);

const identifier = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** A property key as TypeScript source: bare when it is an identifier, quoted otherwise. */
export function propertyKey(wireName: string): string {
  return identifier.test(wireName) ? wireName : JSON.stringify(wireName);
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

  constructor(initial: Iterable<string> = []) {
    for (const name of initial) this.taken.add(name);
  }

  /** `wanted` itself when free and safe, else `wanted_`, `wanted2`, `wanted3`... */
  claim(wanted: string): string {
    let name = reservedWords.has(wanted) || usedGlobals.has(wanted) || !identifier.test(wanted) ? `${sanitize(wanted)}_` : wanted;
    for (let n = 2; this.taken.has(name); n++) name = `${sanitize(wanted)}${n}`;
    this.taken.add(name);
    return name;
  }

  has(name: string): boolean {
    return this.taken.has(name);
  }
}

function sanitize(text: string): string {
  const cleaned = text.replace(/[^A-Za-z0-9_$]/g, "_");
  return /^[0-9]/.test(cleaned) ? `_${cleaned}` : cleaned;
}

/** The base of an interface's exported names: its last label, `org.example.ftl` -> `Ftl`. */
export function interfaceBaseName(interfaceName: string): string {
  const last = interfaceName.split(".").pop() ?? interfaceName;
  return pascalCase(last) || "Varlink";
}

/** The generated file is named after its source: `api/org.example.ftl.varlink` -> `org.example.ftl.ts`. */
export function outputFileName(sourcePath: string): string {
  const base = sourcePath.split(/[\\/]/).pop() ?? sourcePath;
  return `${base.replace(/\.varlink$/, "")}.ts`;
}
