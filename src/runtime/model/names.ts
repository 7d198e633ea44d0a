// The naming rules of UAPI.20, the one place they are written: the patterns every reader of
// names tests (the IDL front end, derive, defineInterface, the JSON Schema reader, the protocol,
// the server and the bridge), and an explanation of the first rule a bad name breaks.

const interfaceNameSource = "[A-Za-z](-*[A-Za-z0-9])*(\\.[A-Za-z0-9](-*[A-Za-z0-9])*)+";
const memberNameSource = "[A-Z][A-Za-z0-9]*";

/** An interface name, reverse-domain style: `org.example.ftl`. */
export const interfaceNamePattern = /* @__PURE__ */ new RegExp(`^${interfaceNameSource}$`);
/** The name of a type, method or error: `Jump`. */
export const memberNamePattern = /* @__PURE__ */ new RegExp(`^${memberNameSource}$`);
/** The name of a field or enum value: `fuel_level`. */
export const fieldNamePattern = /^[A-Za-z](_?[A-Za-z0-9])*$/;
/** A fully qualified method or error name: `org.example.ftl.Jump`. */
export const qualifiedMemberPattern = /* @__PURE__ */ new RegExp(`^${interfaceNameSource}\\.${memberNameSource}$`);

/** Whether `name` is a fully qualified method or error name: `org.example.ftl.Jump`. */
export function isQualifiedMemberName(name: string): boolean {
  return qualifiedMemberPattern.test(name);
}

function badCharacter(name: string, allowed: RegExp): string | undefined {
  for (const char of name) if (!allowed.test(char)) return char;
  return undefined;
}

function describeCharacter(char: string): string {
  const code = `U+${(char.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, "0")}`;
  return /[\p{L}\p{N}\p{P}\p{S}]/u.test(char) ? `'${char}' (${code})` : code;
}

/** Why `name` is not a valid interface name, or `undefined` when it is one. */
export function interfaceNameProblem(name: string): string | undefined {
  if (interfaceNamePattern.test(name)) return undefined;
  const bad = badCharacter(name, /[A-Za-z0-9.-]/);
  if (bad !== undefined)
    return `${describeCharacter(bad)} is not allowed: interface names use ASCII letters, digits, '-' and '.'`;
  const labels = name.split(".");
  if (labels.length < 2) return "an interface name has at least two dot-separated parts, like 'org.example'";
  if (labels.some((label) => label === "")) return "a part between dots is empty";
  if (labels.some((label) => label.startsWith("-") || label.endsWith("-")))
    return "a part may not start or end with '-'";
  if (!/^[A-Za-z]/.test(labels[0]!)) return "the first part must start with a letter";
  return "it does not follow the reverse-domain naming rule";
}

/** Why `name` is not a valid type, method or error name. */
export function memberNameProblem(name: string): string | undefined {
  if (memberNamePattern.test(name)) return undefined;
  const bad = badCharacter(name, /[A-Za-z0-9]/);
  if (bad !== undefined) return `${describeCharacter(bad)} is not allowed: names use ASCII letters and digits only`;
  return "names of types, methods and errors start with an uppercase letter";
}

/** Why `name` is not a valid field or enum value name. */
export function fieldNameProblem(name: string): string | undefined {
  if (fieldNamePattern.test(name)) return undefined;
  const bad = badCharacter(name, /[A-Za-z0-9_]/);
  if (bad !== undefined)
    return `${describeCharacter(bad)} is not allowed: field names use ASCII letters, digits and single '_'`;
  if (!/^[A-Za-z]/.test(name)) return "a field name starts with a letter";
  if (name.endsWith("_")) return "a field name may not end with '_'";
  return "'_' may not be doubled";
}
