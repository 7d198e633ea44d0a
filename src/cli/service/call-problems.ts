import type { VarlinkError, VarlinkConnection } from "@varlink-ts/runtime";
import type { TypeModel } from "@varlink-ts/runtime/model";
import { interfaceTypes, reportIssues, type InterfaceTypes } from "@varlink-ts/runtime/codegen";
import { nearestName, parseInterface } from "../../idl/index.js";
import { getInfo, getInterfaceDescription } from "./introspection.js";

// What is wrong with a call, said at the field: before it is sent, when the interface is known
// from a file; after an error reply, by asking the service for its description, as the
// explorer checks its form. Each finding is a line for the user, or nothing when there is
// nothing more to say than the error itself.

/** The method part and the interface part of `org.example.todo.Add`. */
function split(method: string): { interfaceName: string; name: string } {
  const dot = method.lastIndexOf(".");
  return { interfaceName: method.slice(0, dot), name: method.slice(dot + 1) };
}

function methodsOf(description: string): string[] {
  return (
    parseInterface(description).definition?.members.flatMap((member) =>
      member.kind === "method" ? [member.name] : [],
    ) ?? []
  );
}

/** Why `method` is not in `description`, naming the method it probably meant; undefined if it is there. */
export function missingMethod(description: string, method: string): string | undefined {
  const { interfaceName, name } = split(method);
  const methods = methodsOf(description);
  if (methods.includes(name)) return undefined;
  const near = nearestName(name, methods);
  return near !== undefined
    ? `${interfaceName} has no method ${name}: did you mean ${interfaceName}.${near}?`
    : `${interfaceName} has no method ${name}; it has ${methods.join(", ") || "none"}`;
}

/**
 * Each way `parameters` do not fit `method`'s declared parameters: `title: expected string, got
 * 42`; an unknown field with the field probably meant, `unknown field 'nme' (did you mean name?)`.
 */
export function parameterProblems(description: string, method: string, parameters: object): string[] {
  const types = interfaceTypes(description);
  const key = `${split(method).name}.input`;
  return reportIssues(types, key, parameters, { exact: true }).map((issue) => {
    if (issue.expected !== "no such field") return issue.message;
    const near = nearestName(String(issue.segments.at(-1)), fieldsAt(types, key, issue.segments.slice(0, -1)));
    return near === undefined ? issue.message : `${issue.message} (did you mean ${near}?)`;
  });
}

/** The fields of the struct at `segments` in the type `key` names (none if it is not a struct). */
function fieldsAt(types: InterfaceTypes, key: string, segments: ReadonlyArray<string | number>): string[] {
  const resolved = (type: TypeModel): TypeModel =>
    type.kind === "named" ? resolved(types.get(type.name)) : type.kind === "nullable" ? resolved(type.inner) : type;
  let type = resolved(types.get(key));
  for (const segment of segments) {
    const inner =
      type.kind === "struct"
        ? type.fields.find((field) => field.name === segment)?.type
        : type.kind === "array"
          ? type.element
          : type.kind === "map"
            ? type.value
            : undefined;
    if (inner === undefined) return [];
    type = resolved(inner);
  }
  return type.kind === "struct" ? type.fields.map((field) => field.name) : [];
}

/**
 * What more can be said of an error reply to `method`: the parameters' problems for
 * InvalidParameter, the method or interface meant for MethodNotFound and InterfaceNotFound,
 * --more for ExpectedMore. `describe` gives an interface's text (a file's, or the service's).
 */
export async function explainError(
  error: VarlinkError,
  method: string,
  parameters: object,
  describe: (name: string) => Promise<string>,
  client: VarlinkConnection,
): Promise<string[]> {
  const { interfaceName } = split(method);
  const described = (): Promise<string | undefined> => describe(interfaceName).catch(() => undefined);
  switch (error.errorName) {
    case "org.varlink.service.ExpectedMore":
      return ["the method sends several replies: call it with --more (or --collect)"];
    case "org.varlink.service.MethodNotFound": {
      const description = await described();
      const missing = description === undefined ? undefined : missingMethod(description, method);
      return missing === undefined ? [] : [missing];
    }
    case "org.varlink.service.InterfaceNotFound":
      return interfaceMeant(interfaceName, client);
    case "org.varlink.service.InvalidParameter": {
      const description = await described();
      if (description === undefined) return [];
      const problems = parameterProblems(description, method, parameters);
      const refused = typeof error.parameters["parameter"] === "string" ? error.parameters["parameter"] : undefined;
      if (problems.length > 0) return problems;
      return refused !== undefined ? [`${refused}: the value is of the declared type, but the service refused it`] : [];
    }
    default:
      return [];
  }
}

/**
 * What was meant by `name`, an interface the service does not have: the interface of the member
 * it names (`org.example.spaceship.Jump`), or the nearest of the service's interfaces.
 */
export async function interfaceMeant(name: string, client: VarlinkConnection): Promise<string[]> {
  const interfaces = await getInfo(client).then(
    (info) => info.interfaces,
    () => [] as string[],
  );
  const owner = split(name).interfaceName;
  if (interfaces.includes(owner))
    return [`${name} names a member of ${owner}, not an interface: did you mean ${owner}?`];
  const near = nearestName(name, interfaces);
  return near !== undefined
    ? [`the service has no interface ${name}: did you mean ${near}?`]
    : interfaces.length > 0
      ? [`the service's interfaces are ${interfaces.join(", ")}`]
      : [];
}

/** An interface's text: from an interface file if one describes it, else asked of the service. */
export function describer(
  files: ReadonlyMap<string, { text: string }>,
  client: VarlinkConnection,
): (name: string) => Promise<string> {
  return async (name) => files.get(name)?.text ?? getInterfaceDescription(client, name);
}
