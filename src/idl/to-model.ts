import {
  mapOf,
  type Comments,
  type EnumModel,
  type FieldModel,
  type InterfaceModel,
  type MemberModel,
  type StructModel,
  type TypeModel,
} from "@varlink-ts/runtime/model";
import type { Comment, InterfaceDefinition, Trivia, TypeNode } from "./ast.js";

// A checked interface in the runtime's model: the one description of varlink types that the
// code generator, OpenAPI and the explorer read, and that code-first interfaces produce. The
// AST keeps what only the front end needs (positions, every comment).

/** The model of a definition without errors (the checker has refused anything else). */
export function toInterfaceModel(definition: InterfaceDefinition): InterfaceModel {
  // biome-ignore lint/suspicious/useIterableCallbackReturn: the switch covers every kind; tsc checks it
  const members = definition.members.map((member): MemberModel => {
    const doc = { ...(member.doc === undefined ? {} : { doc: member.doc }), ...comments(member.trivia) };
    switch (member.kind) {
      case "type":
        return { kind: "type", name: member.name, type: list(member.definition), ...doc };
      case "error":
        return { kind: "error", name: member.name, parameters: struct(member.parameters), ...doc };
      case "method": {
        const modes = {
          ...(member.modes.more !== undefined ? { more: member.modes.more } : {}),
          ...(member.modes.upgrade !== undefined ? { upgrade: member.modes.upgrade } : {}),
        };
        return {
          kind: "method",
          name: member.name,
          input: struct(member.input),
          output: struct(member.output),
          modes,
          ...doc,
        };
      }
    }
  });
  const header = comments(definition.trivia).comments;
  const all = { ...header, ...closingOf(definition) };
  return {
    name: definition.name,
    members,
    ...(definition.doc === undefined ? {} : { doc: definition.doc }),
    ...(Object.keys(all).length > 0 ? { comments: all } : {}),
  };
}

function texts(comments: readonly Comment[]): string[] {
  return comments.map((comment) => comment.text);
}

/** An item's comments that are not documentation, present only when there are any. */
function comments(trivia: Trivia): { comments?: Comments } {
  const detached = texts(trivia.detached);
  const made: Comments = {
    ...(detached.length > 0 ? { detached } : {}),
    ...(trivia.trailing !== undefined ? { trailing: trivia.trailing.text } : {}),
  };
  return Object.keys(made).length > 0 ? { comments: made } : {};
}

function struct(type: TypeNode | undefined): StructModel {
  if (type === undefined) return { kind: "struct", fields: [] };
  const made = list(type);
  if (made.kind !== "struct") throw new Error("a struct was expected: the checker lets no other type through here");
  return made;
}

function list(type: TypeNode): StructModel | EnumModel {
  const made = typeModel(type);
  if (made.kind !== "struct" && made.kind !== "enum")
    throw new Error("a struct or an enum was expected: the checker lets no other type through here");
  return made;
}

export function typeModel(type: TypeNode): TypeModel {
  switch (type.kind) {
    case "primitive":
      return { kind: type.name };
    case "reference":
      return { kind: "named", name: type.name };
    case "array":
      return { kind: "array", element: typeModel(type.element) };
    case "map":
      return mapOf(typeModel(type.value));
    case "nullable":
      return { kind: "nullable", inner: typeModel(type.inner) };
    case "struct": {
      const fields = type.fields.map(
        (f): FieldModel => ({
          name: f.name,
          type: typeModel(f.type),
          ...(f.doc === undefined ? {} : { doc: f.doc }),
          ...comments(f.trivia),
        }),
      );
      return { kind: "struct", fields, ...closingOf(type) };
    }
    case "enum": {
      const values = type.values.map((v) => ({
        name: v.name,
        ...(v.doc === undefined ? {} : { doc: v.doc }),
        ...comments(v.trivia),
      }));
      return { kind: "enum", values, ...closingOf(type) };
    }
  }
}

/** The comments before a list's `)`, present only when there are any. */
function closingOf(list: { closingComments: readonly Comment[] }): { closing?: string[] } {
  const closing = texts(list.closingComments);
  return closing.length > 0 ? { closing } : {};
}
