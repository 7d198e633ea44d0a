import type { InterfaceDefinition, Member, Range, TypeNode } from "./ast.js";
import type { DiagnosticSink } from "./diagnostics.js";
import { fieldNameProblem, interfaceNameProblem, memberNameProblem } from "@varlink-ts/runtime/model";
import { walkTypes } from "./walk.js";

// Semantic rules on a built AST: names, uniqueness, references, and which types must be
// struct literals. Each rule reports its own diagnostic code.

/**
 * `incomplete` holds members the parser had to recover from: their missing parts were already
 * reported as syntax errors, so the struct rules stay quiet about them.
 */
export function checkInterface(
  definition: InterfaceDefinition,
  sink: DiagnosticSink,
  incomplete: ReadonlySet<Member>,
): void {
  const nameProblem = interfaceNameProblem(definition.name);
  if (nameProblem !== undefined) {
    sink.report(
      "invalid-interface-name",
      definition.nameRange,
      `invalid interface name '${definition.name}': ${nameProblem}`,
    );
  }
  if (definition.members.length === 0) {
    sink.report("no-members", definition.nameRange, `interface '${definition.name}' declares no type, method or error`);
  }

  const declared = new Map<string, Member>();
  for (const member of definition.members) {
    checkMemberName(member, sink);
    const first = declared.get(member.name);
    if (first !== undefined) {
      sink.report(
        "duplicate-member",
        member.nameRange,
        `'${member.name}' is already declared as ${article(first.kind)} ${first.kind}: types, methods and errors share one namespace`,
        [{ message: `first declared here`, range: first.nameRange }],
      );
    } else if (member.name !== "") {
      declared.set(member.name, member);
    }
    if (!incomplete.has(member)) checkStructRequirement(member, sink);
  }

  walkTypes(definition, (type) => {
    if (type.kind === "reference") checkReference(type.name, type.range, declared, sink);
    if (type.kind === "struct") {
      checkUnique(type.fields, "field", sink);
      for (const field of type.fields) checkFieldName(field.name, field.nameRange, "field", sink);
    }
    if (type.kind === "enum") {
      checkUnique(type.values, "enum value", sink);
      for (const value of type.values) checkFieldName(value.name, value.nameRange, "enum value", sink);
    }
  });
}

function checkMemberName(member: Member, sink: DiagnosticSink): void {
  if (member.name === "") return; // the parser already said the name is missing
  const problem = memberNameProblem(member.name);
  if (problem !== undefined) {
    sink.report("invalid-member-name", member.nameRange, `invalid ${member.kind} name '${member.name}': ${problem}`);
  }
}

function checkFieldName(name: string, range: Range, what: string, sink: DiagnosticSink): void {
  const problem = fieldNameProblem(name);
  if (problem !== undefined) sink.report("invalid-field-name", range, `invalid ${what} name '${name}': ${problem}`);
}

function checkUnique(
  entries: ReadonlyArray<{ name: string; nameRange: Range }>,
  what: string,
  sink: DiagnosticSink,
): void {
  const seen = new Map<string, Range>();
  for (const entry of entries) {
    const first = seen.get(entry.name);
    if (first !== undefined) {
      sink.report("duplicate-field", entry.nameRange, `duplicate ${what} '${entry.name}'`, [
        { message: "first declared here", range: first },
      ]);
    } else {
      seen.set(entry.name, entry.nameRange);
    }
  }
}

function checkReference(name: string, range: Range, declared: Map<string, Member>, sink: DiagnosticSink): void {
  const target = declared.get(name);
  if (target?.kind === "type") return;
  if (target !== undefined) {
    sink.report("undefined-type", range, `'${name}' is ${article(target.kind)} ${target.kind}, not a type`, [
      { message: `the ${target.kind} is declared here`, range: target.nameRange },
    ]);
    return;
  }
  const types = [...declared.values()].filter((member) => member.kind === "type").map((member) => member.name);
  const suggestion = nearestName(name, [...builtinTypes, ...types]);
  const hint = suggestion !== undefined ? ` (did you mean '${suggestion}'?)` : "";
  const fixes =
    suggestion !== undefined
      ? [{ message: `change it to '${suggestion}'`, edits: [{ range, newText: suggestion }] }]
      : [];
  if (/^[a-z]/.test(name)) {
    sink.report(
      "undefined-type",
      range,
      `unknown type '${name}'${hint}: the builtin types are bool, int, float, string, object and any, and declared types start with an uppercase letter`,
      [],
      fixes,
    );
  } else {
    sink.report(
      "undefined-type",
      range,
      `unknown type '${name}'${hint}: no 'type ${name}' is declared in this interface`,
      [],
      fixes,
    );
  }
}

const builtinTypes = ["bool", "int", "float", "string", "object", "any"];

/** A name that differs from `name` only in case, or by at most two edits (one for short names). */
export function nearestName(name: string, candidates: readonly string[]): string | undefined {
  const lower = name.toLowerCase();
  const sameButCase = candidates.find((candidate) => candidate.toLowerCase() === lower);
  if (sameButCase !== undefined) return sameButCase;
  const allowed = name.length <= 4 ? 1 : 2;
  let best: { name: string; distance: number } | undefined;
  for (const candidate of candidates) {
    const distance = editDistance(lower, candidate.toLowerCase());
    if (distance <= allowed && (best === undefined || distance < best.distance)) best = { name: candidate, distance };
  }
  return best?.name;
}

/** Levenshtein distance, with one row kept. */
function editDistance(a: string, b: string): number {
  if (Math.abs(a.length - b.length) > 2) return Number.POSITIVE_INFINITY;
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length]!;
}

function describe(type: TypeNode): string {
  switch (type.kind) {
    case "primitive":
      return `the builtin type '${type.name}'`;
    case "reference":
      return `the type name '${type.name}'`;
    case "array":
      return "an array";
    case "map":
      return "a map";
    case "nullable":
      return "a nullable type";
    case "enum":
      return "an enum";
    case "struct":
      return "a struct";
  }
}

function checkStructRequirement(member: Member, sink: DiagnosticSink): void {
  switch (member.kind) {
    case "type":
      if (member.definition.kind !== "struct" && member.definition.kind !== "enum") {
        sink.report(
          "type-not-struct-or-enum",
          member.definition.range,
          `type '${member.name}' must be a struct '(name: type, ...)' or an enum '(a, b, ...)', not ${describe(member.definition)}`,
        );
      }
      return;
    case "method":
      for (const [place, type] of [
        ["input", member.input],
        ["output", member.output],
      ] as const) {
        if (type === undefined) {
          sink.report(
            "method-not-struct",
            member.nameRange,
            `method '${member.name}' has no ${place} struct: write '()' for none`,
          );
        } else if (type.kind !== "struct") {
          const hint =
            type.kind === "reference" ? ` (write '(${lowerFirst(type.name)}: ${type.name})' to pass one)` : "";
          sink.report(
            "method-not-struct",
            type.range,
            `the ${place} of method '${member.name}' must be a struct literal '(name: type, ...)', not ${describe(type)}${hint}`,
          );
        }
      }
      return;
    case "error":
      if (member.parameters === undefined) {
        sink.report(
          "error-not-struct",
          member.nameRange,
          `error '${member.name}' needs a parameter struct: write '${member.name} ()' for none`,
        );
      } else if (member.parameters.kind !== "struct") {
        sink.report(
          "error-not-struct",
          member.parameters.range,
          `the parameters of error '${member.name}' must be a struct literal '(name: type, ...)', not ${describe(member.parameters)}`,
        );
      }
      return;
  }
}

function lowerFirst(name: string): string {
  return name.charAt(0).toLowerCase() + name.slice(1);
}

function article(word: string): string {
  return /^[aeiou]/.test(word) ? "an" : "a";
}
