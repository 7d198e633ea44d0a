import type { InterfaceDefinition, TypeNode } from "./ast.js";
import type { DiagnosticSink } from "./diagnostics.js";
import { walkTypes } from "./walk.js";

/** systemd's varlink-idl refuses structs nested deeper than this. */
const systemdMaxDepth = 64;

/**
 * Portability warnings: what the grammar allows but systemd's `varlinkctl validate-idl`
 * refuses, so that an interface meant for systemd can be kept within what it reads.
 */
export function lintPortability(definition: InterfaceDefinition, sink: DiagnosticSink): void {
  const deepReported = new Set<unknown>();
  const coveredContainers = new Set<TypeNode>();
  walkTypes(definition, (type, site, depth) => {
    if (depth > systemdMaxDepth && !deepReported.has(site.member)) {
      deepReported.add(site.member);
      sink.report(
        "portability-nesting-depth",
        type.range,
        `structs nest ${depth} deep here; systemd refuses more than ${systemdMaxDepth} levels`,
      );
    }
    if (type.kind === "map" && type.value.kind === "struct" && type.value.fields.length === 0) {
      sink.report(
        "portability-string-set",
        type.range,
        "systemd does not accept '[string]()' sets; use '[]string' or '[string]bool'",
      );
    } else if (isContainer(type) && !coveredContainers.has(type) && containerDepth(type) > 1) {
      for (let inner = innerOf(type); inner !== undefined; inner = innerOf(inner)) coveredContainers.add(inner);
      sink.report(
        "portability-nested-container",
        type.range,
        "systemd accepts one level of '[]', '[string]' or '?' (optionally '?' before it); name the inner type with 'type' instead",
      );
    }
    if (type.kind === "struct" && type.fields.length === 0 && (site.place === "type" || site.place === "field")) {
      if (!(site.place === "field" && site.field.type.kind === "map")) {
        sink.report("portability-empty-struct", type.range, "systemd does not accept an empty '()' type");
      }
    }
  });
}

function isContainer(type: TypeNode): boolean {
  return type.kind === "array" || type.kind === "map" || type.kind === "nullable";
}

function innerOf(type: TypeNode): TypeNode | undefined {
  return type.kind === "array"
    ? type.element
    : type.kind === "map"
      ? type.value
      : type.kind === "nullable"
        ? type.inner
        : undefined;
}

/** Containers directly wrapped around each other: `?[]T` counts one (systemd's nullable array), `[][]T` two. */
function containerDepth(type: TypeNode): number {
  let depth = 0;
  let current: TypeNode = type;
  if (current.kind === "nullable") current = current.inner;
  for (let inner = innerOf(current); inner !== undefined; inner = innerOf(current)) {
    depth++;
    current = inner;
  }
  return depth;
}
