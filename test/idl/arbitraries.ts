import fc from "fast-check";
import type {
  Comment,
  EnumType,
  EnumValue,
  ErrorDeclaration,
  Field,
  InterfaceDefinition,
  Member,
  MethodDeclaration,
  MethodModes,
  StructType,
  Trivia,
  TypeDeclaration,
  TypeNode,
} from "../../src/idl/index.js";

// Random valid interfaces as the parser would build them, positions left out (the round-trip
// test compares without them). Comments and docs come in every place the formatter keeps them.

const noRange = undefined as never;
const words = ["alpha", "beta", "Gamma", "delta9", "x", "the", "value:", "(a,", "b)", "->", "[]", "#", "?"];

const commentText = fc
  .array(fc.constantFrom(...words), { minLength: 0, maxLength: 4 })
  .map((ws) => (ws.length === 0 ? "" : ` ${ws.join(" ")}`));
const comment: fc.Arbitrary<Comment> = commentText.map((text) => ({ text, range: noRange }));
const docText = fc
  .array(
    fc.array(fc.constantFrom(...words), { maxLength: 5 }).map((ws) => ws.join(" ")),
    { minLength: 1, maxLength: 3 },
  )
  .map((lines) => lines.join("\n"));

const doc = fc.option(docText, { nil: undefined });
const trivia: fc.Arbitrary<Trivia> = fc.record({
  detached: fc.array(comment, { maxLength: 2 }),
  trailing: fc.option(comment, { nil: undefined }),
});

const fieldName = fc.oneof(
  fc.constantFrom("a", "b", "name", "type", "interface", "method", "error", "more", "tylium_level", "X2"),
  fc.stringMatching(/^[a-z][a-z0-9]{0,6}$/),
);
const memberName = fc.stringMatching(/^[A-Z][A-Za-z0-9]{0,8}$/);
const interfaceName = fc
  .array(fc.stringMatching(/^[a-z][a-z0-9]{0,5}(-[a-z0-9]{1,3})?$/), { minLength: 2, maxLength: 4 })
  .map((parts) => parts.join("."));

function typeNode(typeNames: string[], depth: number): fc.Arbitrary<TypeNode> {
  const primitive = fc
    .constantFrom("bool", "int", "float", "string", "object", "any")
    .map((name) => ({ kind: "primitive", name, range: noRange }) as TypeNode);
  const leaves: Array<fc.Arbitrary<TypeNode>> = [primitive];
  if (typeNames.length > 0)
    leaves.push(fc.constantFrom(...typeNames).map((name) => ({ kind: "reference", name, range: noRange })));
  if (depth <= 0) return fc.oneof(...leaves);
  const inner = typeNode(typeNames, depth - 1);
  return fc.oneof(
    { arbitrary: fc.oneof(...leaves), weight: 4 },
    { arbitrary: inner.map((element): TypeNode => ({ kind: "array", element, range: noRange })), weight: 1 },
    { arbitrary: inner.map((value): TypeNode => ({ kind: "map", value, range: noRange })), weight: 1 },
    {
      arbitrary: inner
        .filter((t) => t.kind !== "nullable")
        .map((t): TypeNode => ({ kind: "nullable", inner: t, range: noRange })),
      weight: 1,
    },
    { arbitrary: struct(typeNames, depth - 1), weight: 1 },
    { arbitrary: enumType(), weight: 1 },
  );
}

function struct(typeNames: string[], depth: number): fc.Arbitrary<StructType> {
  const field = (name: string): fc.Arbitrary<Field> =>
    fc.record({ type: typeNode(typeNames, depth), doc, trivia }).map((f) => ({
      kind: "field",
      name,
      type: f.type,
      doc: f.doc,
      trivia: f.trivia,
      nameRange: noRange,
      range: noRange,
    }));
  return fc
    .tuple(fc.uniqueArray(fieldName, { maxLength: 4 }), fc.array(comment, { maxLength: 1 }))
    .chain(([names, closingComments]) =>
      fc
        .tuple(...names.map(field))
        .map((fields) => ({ kind: "struct", fields, closingComments, range: noRange }) as StructType),
    );
}

function enumType(): fc.Arbitrary<EnumType> {
  const value = (name: string): fc.Arbitrary<EnumValue> =>
    fc
      .record({ doc, trivia })
      .map((v) => ({ kind: "enumValue", name, doc: v.doc, trivia: v.trivia, nameRange: noRange, range: noRange }));
  return fc
    .tuple(fc.uniqueArray(fieldName, { minLength: 1, maxLength: 4 }), fc.array(comment, { maxLength: 1 }))
    .chain(([names, closingComments]) =>
      fc
        .tuple(...names.map(value))
        .map((values) => ({ kind: "enum", values, closingComments, range: noRange }) as EnumType),
    );
}

const modeLines: Array<[string | undefined, MethodModes]> = [
  [undefined, { more: undefined, upgrade: undefined }],
  ["[Requires 'more' flag]", { more: "requires", upgrade: undefined }],
  ["[Supports 'more' flag]", { more: "supports", upgrade: undefined }],
  ["[Requires 'upgrade' flag]", { more: undefined, upgrade: "requires" }],
];

function member(kind: Member["kind"], name: string, typeNames: string[]): fc.Arbitrary<Member> {
  const common = { name, nameRange: noRange, range: noRange };
  switch (kind) {
    case "type":
      return fc
        .record({ definition: fc.oneof(struct(typeNames, 2), enumType()), doc, trivia })
        .map((m): TypeDeclaration => ({ kind: "type", ...common, ...m }));
    case "method":
      return fc
        .record({
          input: struct(typeNames, 2),
          output: struct(typeNames, 2),
          doc,
          trivia,
          mode: fc.constantFrom(...modeLines),
        })
        .map(({ mode: [line, modes], ...m }): MethodDeclaration => {
          const withMode = line === undefined ? m.doc : m.doc === undefined ? line : `${m.doc}\n${line}`;
          return {
            kind: "method",
            ...common,
            input: m.input,
            output: m.output,
            modes,
            doc: withMode,
            trivia: m.trivia,
          };
        });
    case "error":
      return fc
        .record({ parameters: struct(typeNames, 1), doc, trivia })
        .map((m): ErrorDeclaration => ({ kind: "error", ...common, ...m }));
  }
}

export const interfaceDefinition: fc.Arbitrary<InterfaceDefinition> = fc
  .uniqueArray(fc.tuple(memberName, fc.constantFrom<Member["kind"]>("type", "method", "error")), {
    minLength: 1,
    maxLength: 6,
    selector: ([name]) => name,
  })
  .chain((declared) => {
    const typeNames = declared.filter(([, kind]) => kind === "type").map(([name]) => name);
    return fc.record({
      name: interfaceName,
      doc,
      trivia,
      members: fc.tuple(...declared.map(([name, kind]) => member(kind, name, typeNames))),
      closingComments: fc.array(comment, { maxLength: 2 }),
    });
  })
  .map((d) => ({ kind: "interface", ...d, nameRange: noRange, range: noRange, source: "" }));
