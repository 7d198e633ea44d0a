import { readFileSync } from "node:fs";
import {
  Node,
  Project,
  SyntaxKind,
  ts,
  type ClassDeclaration,
  type InterfaceDeclaration,
  type MethodDeclaration,
  type MethodSignature,
  type PropertySignature,
  type SourceFile,
  type TypeNode,
} from "ts-morph";
import {
  fieldNamePattern,
  interfaceNamePattern,
  mapOf,
  memberNamePattern,
  modesOf,
  printInterface,
  type EnumModel,
  type FieldModel,
  type InterfaceModel,
  type MemberModel,
  type MethodModes,
  type StructModel,
  type TypeModel,
} from "@varlink-ts/runtime/model";
import {
  diagnosticCodes,
  LineMap,
  maxNesting,
  parseInterface,
  type Diagnostic,
  type DiagnosticCode,
} from "../idl/index.js";
import { isStackOverflow, tooDeepAt } from "./nesting.js";
import { closingOf, commentsBelow, commentsOf, docOf, tagOf, trailingAt, unionMemberNotes } from "./comments.js";

// Interfaces written as TypeScript declarations, read with ts-morph: an exported interface or
// class marked `@varlink NAME` is an interface, its methods are the methods, the types they use
// become the interface's types, and error classes extending the runtime's VarlinkError its
// errors. The types are read from the syntax as the table in the README says; what varlink
// cannot say is a diagnostic at its position, with a hint, as `check` reports IDL errors.
//
// Methods come in two shapes: signatures (`Reverse(p: P): R`, in a class or an interface), and
// the runtime's method descriptors (`readonly Reverse: MethodDescriptor<P, R>`), as generated
// code declares them. A module in the second shape is read as generated code is laid out: every
// exported struct or enum type in it is the interface's (except those marked `@anonymous`,
// which are written in place), and the members keep the order of the file, so that deriving
// from generated code gives back the interface text it came from.

export interface DeriveOptions {
  /** A bare `number` is an error rather than a float with a warning. */
  strictNumbers?: boolean;
}

export interface DerivedInterface {
  name: string;
  /** The file whose declaration marked it. */
  file: string;
  model: InterfaceModel;
  /** The interface text, in the canonical style. */
  text: string;
}

export interface DeriveResult {
  interfaces: DerivedInterface[];
  diagnostics: Diagnostic[];
  /** The text of every file read, for rendering the diagnostics. */
  sources: Map<string, string>;
}

/** Reads `files` (TypeScript source paths) and derives every interface marked in them. */
export function deriveInterfaces(files: readonly string[], options: DeriveOptions = {}): DeriveResult {
  const project = new Project({
    compilerOptions: {
      strict: true,
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.NodeNext,
      moduleResolution: ts.ModuleResolutionKind.NodeNext,
      skipLibCheck: true,
      noEmit: true,
    },
    skipAddingFilesFromTsConfig: true,
  });
  const diagnostics: Diagnostic[] = [];
  const interfaces: DerivedInterface[] = [];
  const sources = new Map<string, string>();
  /** Runs `read` on `file`; a file nested too deep for TypeScript is a diagnostic, not a crash. */
  const guarded = <T>(file: string, read: () => T): T | undefined => {
    try {
      return read();
    } catch (error) {
      if (!isStackOverflow(error)) throw error;
      const text = readFileSync(file, "utf8");
      sources.set(file, text);
      diagnostics.push(
        diagnosticAt(
          file,
          text,
          tooDeepAt(text),
          1,
          "nesting-too-deep",
          `types nest more than ${maxNesting} levels deep here; varlink-ts does not read further`,
        ),
      );
      return undefined;
    }
  };
  const sourceFiles = files.flatMap((file) => guarded(file, () => project.addSourceFileAtPath(file)) ?? []);
  for (const sourceFile of sourceFiles)
    guarded(sourceFile.getFilePath(), () => interfaces.push(...deriveFile(project, sourceFile, options, diagnostics)));
  if (interfaces.length === 0 && diagnostics.length === 0) {
    for (const sourceFile of sourceFiles)
      diagnostics.push(
        diagnostic(
          sourceFile,
          sourceFile,
          "derive-no-interface",
          "no exported interface or class is marked `@varlink NAME`; mark one with a JSDoc tag, e.g. `/** @varlink org.example.demo */`",
        ),
      );
  }
  for (const file of project.getSourceFiles())
    if (!sources.has(file.getFilePath())) sources.set(file.getFilePath(), file.getFullText());
  return { interfaces, diagnostics, sources };
}

/** The interfaces one file marks, its problems added to `diagnostics`. */
function deriveFile(
  project: Project,
  sourceFile: SourceFile,
  options: DeriveOptions,
  diagnostics: Diagnostic[],
): DerivedInterface[] {
  const syntax = syntaxErrors(project, sourceFile);
  // What TypeScript could not parse, it guesses at: nothing is derived from a guess.
  if (syntax.length > 0) {
    diagnostics.push(...syntax);
    return [];
  }
  const interfaces: DerivedInterface[] = [];
  const marked = [...sourceFile.getInterfaces(), ...sourceFile.getClasses()].filter(
    (declaration) => declaration.isExported() && tagOf(declaration, "varlink") !== undefined,
  );
  for (const declaration of marked) {
    const errorsBefore = errorCount(diagnostics);
    const model = new Deriver(sourceFile, options, diagnostics).interface(declaration, marked.length === 1);
    // An interface with a problem is not written: its text would say less than its source.
    if (model === undefined || errorCount(diagnostics) > errorsBefore) continue;
    const text = printInterface(model);
    const invalid = frontEndErrors(text, sourceFile, declaration);
    if (invalid.length > 0) diagnostics.push(...invalid);
    else interfaces.push({ name: model.name, file: sourceFile.getFilePath(), model, text });
  }
  return interfaces;
}

function diagnostic(sourceFile: SourceFile, node: Node, code: DiagnosticCode, message: string): Diagnostic {
  const start = node === sourceFile ? 0 : node.getStart();
  return diagnosticAt(sourceFile.getFilePath(), sourceFile.getFullText(), start, node.getEnd() - start, code, message);
}

function diagnosticAt(
  file: string,
  text: string,
  start: number,
  length: number,
  code: DiagnosticCode,
  message: string,
): Diagnostic {
  const range = new LineMap(text).range(start, Math.max(1, length));
  return { code, severity: diagnosticCodes[code].severity, message, file, range, related: [], fixes: [] };
}

const errorCount = (diagnostics: readonly Diagnostic[]): number =>
  diagnostics.filter((d) => d.severity === "error").length;

/** TypeScript's syntax errors in the file, at their positions. */
function syntaxErrors(project: Project, sourceFile: SourceFile): Diagnostic[] {
  return project
    .getProgram()
    .getSyntacticDiagnostics(sourceFile)
    .map((found) =>
      diagnosticAt(
        sourceFile.getFilePath(),
        sourceFile.getFullText(),
        found.getStart() ?? 0,
        found.getLength() ?? 1,
        "derive-syntax",
        ts.flattenDiagnosticMessageText(found.compilerObject.messageText, " "),
      ),
    );
}

/**
 * What the IDL front end refuses in a derived interface's text (an interface with no members, a
 * type and a method of one name...), said at the declaration it was derived from: no file is
 * written, so there is no other place to point at.
 */
function frontEndErrors(text: string, sourceFile: SourceFile, declaration: Node): Diagnostic[] {
  return parseInterface(text)
    .diagnostics.filter((found) => found.severity === "error")
    .map((found) =>
      diagnostic(sourceFile, declaration, found.code, `the interface derived from this declaration: ${found.message}`),
    );
}

/** Types a method's reply stream comes in: `AsyncIterable<R>` and its kin. */
const streams = new Set([
  "AsyncIterable",
  "AsyncIterableIterator",
  "AsyncGenerator",
  "Generator",
  "Iterable",
  "IterableIterator",
]);

/** TypeScript types that look like data but are not JSON, with what to write instead. */
const notJson: Record<string, string> = {
  Date: "send a timestamp as an Int (microseconds, as systemd does) or a string",
  Map: "use Record<string, T> (a varlink map)",
  Set: "use the runtime's StringSet, or T[]",
  WeakMap: "use Record<string, T>",
  BigInt: "use bigint or the runtime's Int",
  Function: "functions do not travel",
  Buffer: "send bytes as a base64 string",
  Uint8Array: "send bytes as a base64 string",
};

/** A property's or method's name as it travels: `"two words"` is two words, `"Ping"()` is Ping. */
function propertyName(member: PropertySignature | MethodSignature | MethodDeclaration): string {
  const node = member.getNameNode();
  return Node.isStringLiteral(node) ? node.getLiteralValue() : member.getName();
}

/** A method as interfaces and classes write it: a signature, or a method descriptor's type arguments. */
type MethodShape =
  | { kind: "signature"; node: Node; name: string; parameters: Node[]; returns: TypeNode | undefined }
  | { kind: "descriptor"; node: Node; name: string; args: TypeNode[] };

/** A member of the interface with the place in the files that decides its order. */
interface Placed {
  member: MemberModel;
  position: [string, number];
}

const positionOf = (node: Node): [string, number] => [node.getSourceFile().getFilePath(), node.getStart()];
const byPosition = (a: Placed, b: Placed): number =>
  a.position[0].localeCompare(b.position[0]) || a.position[1] - b.position[1];

/** `MethodDescriptor<P, R, …>` as the runtime exports it (through any namespace). */
function descriptorArgs(type: TypeNode | undefined): TypeNode[] | undefined {
  if (
    type === undefined ||
    !Node.isTypeReference(type) ||
    !/(^|\.)MethodDescriptor$/.test(type.getTypeName().getText())
  )
    return undefined;
  const args = type.getTypeArguments();
  return args.length >= 2 ? args : undefined;
}

/** A string literal type's value (`"requires"`), or undefined. */
function literalValue(type: TypeNode | undefined): string | undefined {
  const literal = type !== undefined && Node.isLiteralTypeNode(type) ? type.getLiteral() : undefined;
  return literal !== undefined && Node.isStringLiteral(literal) ? literal.getLiteralValue() : undefined;
}

/** Where a declaration comes from the user's own code, not a library's or TypeScript's declarations. */
const isOwn = (declaration: Node): boolean =>
  !declaration.getSourceFile().isDeclarationFile() && !declaration.getSourceFile().isInNodeModules();

class Deriver {
  /** Named types found so far, with where they were declared (for their order). */
  private readonly named = new Map<string, Placed>();
  private readonly resolving = new Set<string>();
  /** How many types deep the one being read is. */
  private depth = 0;

  constructor(
    private readonly sourceFile: SourceFile,
    private readonly options: DeriveOptions,
    private readonly diagnostics: Diagnostic[],
  ) {}

  private report(node: Node, code: DiagnosticCode, message: string): undefined {
    this.diagnostics.push(diagnostic(node.getSourceFile(), node, code, message));
    return undefined;
  }

  interface(declaration: InterfaceDeclaration | ClassDeclaration, onlyOne: boolean): InterfaceModel | undefined {
    const name = tagOf(declaration, "varlink")!;
    if (!interfaceNamePattern.test(name))
      return this.report(
        declaration,
        "derive-name",
        `'${name}' is not a varlink interface name: two labels or more, like org.example.demo`,
      );
    const shapes = this.methodsOf(declaration);
    // An interface of descriptors only (or of none: an interface of types) is a module laid out as generated code is.
    const descriptors =
      Node.isInterfaceDeclaration(declaration) && shapes.every((shape) => shape.kind === "descriptor");
    const methods: Placed[] = [];
    for (const shape of shapes) {
      const method = shape.kind === "descriptor" ? this.descriptorMethod(shape) : this.method(shape);
      if (method !== undefined) methods.push(method);
    }
    if (descriptors) this.allTypes(declaration, shapes);
    const errors = this.errors(name, onlyOne);
    const types = [...this.named.values()].sort(byPosition);
    // Generated code is laid out in the interface's order; elsewhere types come first.
    const members = descriptors
      ? [...types, ...methods, ...errors].sort(byPosition)
      : [...types, ...methods, ...errors];
    const doc = docOf(declaration);
    const comments = { ...commentsOf(declaration), closing: closingOf(declaration) };
    return {
      name,
      members: members.map((placed) => placed.member),
      ...(doc !== undefined ? { doc } : {}),
      ...(Object.values(comments).some((value) => value !== undefined) ? { comments } : {}),
    };
  }

  /** The members that are methods: method signatures, properties of function or method descriptor type in an interface, public methods in a class. */
  private methodsOf(declaration: InterfaceDeclaration | ClassDeclaration): MethodShape[] {
    if (Node.isInterfaceDeclaration(declaration)) {
      return declaration.getMembers().flatMap((member): MethodShape[] => {
        if (Node.isMethodSignature(member))
          return [
            {
              kind: "signature",
              node: member,
              name: propertyName(member),
              parameters: member.getParameters(),
              returns: member.getReturnTypeNode(),
            },
          ];
        if (Node.isPropertySignature(member)) {
          const type = member.getTypeNode();
          if (type !== undefined && Node.isFunctionTypeNode(type))
            return [
              {
                kind: "signature",
                node: member,
                name: propertyName(member),
                parameters: type.getParameters(),
                returns: type.getReturnTypeNode(),
              },
            ];
          const args = descriptorArgs(type);
          if (args !== undefined) return [{ kind: "descriptor", node: member, name: propertyName(member), args }];
        }
        return [];
      });
    }
    return declaration
      .getMethods()
      .filter((method) => !method.isStatic() && method.getScope() !== "private" && method.getScope() !== "protected")
      .map((method) => ({
        kind: "signature",
        node: method,
        name: propertyName(method),
        parameters: method.getParameters(),
        returns: method.getReturnTypeNode(),
      }));
  }

  private method(method: Extract<MethodShape, { kind: "signature" }>): Placed | undefined {
    if (!memberNamePattern.test(method.name))
      return this.report(
        method.node,
        "derive-name",
        `'${method.name}' is not a varlink method name: a capital letter, then letters and digits`,
      );
    const parameter = method.parameters[0];
    const parameterType =
      parameter !== undefined && Node.isParameterDeclaration(parameter) ? parameter.getTypeNode() : undefined;
    // Parameters and reply are both read, so that one run reports the problems of both.
    const input =
      parameter !== undefined && parameterType === undefined
        ? this.report(parameter, "derive-method", `the parameters of ${method.name} need a type annotation`)
        : parameterType === undefined
          ? { kind: "struct" as const, fields: [] }
          : this.struct(parameterType, `the parameters of ${method.name}`);
    const reply =
      method.returns === undefined
        ? this.report(method.node, "derive-method", `${method.name} needs a return type annotation: its reply's type`)
        : this.reply(method.returns, method.name);
    if (input === undefined || reply === undefined) return undefined;
    const requires = tagOf(method.node, "requiresMore") !== undefined;
    const more = reply.streams ? (requires ? "requires" : "supports") : undefined;
    const annotation =
      more === undefined ? undefined : `[${more === "requires" ? "Requires" : "Supports"} 'more' flag]`;
    const doc = [docOf(method.node), annotation].filter((part) => part !== undefined).join("\n");
    return this.placed(method.node, {
      kind: "method",
      name: method.name,
      input,
      output: reply.struct,
      doc: doc !== "" ? doc : undefined,
      modes: more !== undefined ? { more } : {},
    });
  }

  /**
   * `readonly M: MethodDescriptor<P, R, More, Upgrade>`: its modes are those its documentation
   * declares (as the interface text writes them), and a mode the type requires that the
   * documentation does not say is added to it. It stands where its parameters are declared.
   */
  private descriptorMethod(method: Extract<MethodShape, { kind: "descriptor" }>): Placed | undefined {
    if (!memberNamePattern.test(method.name))
      return this.report(
        method.node,
        "derive-name",
        `'${method.name}' is not a varlink method name: a capital letter, then letters and digits`,
      );
    const [parameters, reply, more, upgrade] = method.args;
    const input = this.struct(parameters!, `the parameters of ${method.name}`);
    const output = this.struct(reply!, `the reply of ${method.name}`);
    if (input === undefined || output === undefined) return undefined;
    let doc = docOf(method.node);
    const modes: MethodModes = modesOf(doc);
    for (const [mode, type] of [
      ["more", more],
      ["upgrade", upgrade],
    ] as const) {
      if (literalValue(type) === "requires" && modes[mode] !== "requires") {
        modes[mode] = "requires";
        doc = [doc, `[Requires '${mode}' flag]`].filter((part) => part !== undefined).join("\n");
      }
    }
    const declared = this.declarationOf(parameters!);
    const at =
      declared !== undefined && declared.getSourceFile() === method.node.getSourceFile() ? declared : method.node;
    return {
      ...this.placed(method.node, { kind: "method", name: method.name, input, output, doc, modes }),
      position: positionOf(at),
    };
  }

  /** A member with its documentation unless given, its comments, and its place. */
  private placed(node: Node, member: MemberModel): Placed {
    const doc = member.doc ?? (member.kind === "method" ? undefined : docOf(node));
    const comments = commentsOf(node);
    const { doc: _given, ...rest } = member;
    return {
      member: {
        ...rest,
        ...(doc !== undefined ? { doc } : {}),
        ...(comments !== undefined ? { comments } : {}),
      } as MemberModel,
      position: positionOf(node),
    };
  }

  /**
   * In a module of method descriptors, every exported struct or enum type is the interface's,
   * used or not, except the methods' and errors' own structs and types written in place.
   */
  private allTypes(declaration: InterfaceDeclaration | ClassDeclaration, shapes: MethodShape[]): void {
    const structs = new Set<Node>();
    for (const shape of shapes)
      if (shape.kind === "descriptor")
        for (const arg of shape.args.slice(0, 2)) structs.add(this.declarationOf(arg) ?? arg);
    for (const error of this.errorClasses()) {
      const argument = error.getExtends()?.getTypeArguments()[0];
      if (argument !== undefined) structs.add(this.declarationOf(argument) ?? argument);
    }
    const file = declaration.getSourceFile();
    const candidates = [...file.getInterfaces(), ...file.getTypeAliases(), ...file.getEnums()];
    for (const candidate of candidates) {
      if (
        candidate === declaration ||
        !candidate.isExported() ||
        structs.has(candidate) ||
        tagOf(candidate, "anonymous") !== undefined
      )
        continue;
      if (Node.isTypeAliasDeclaration(candidate) && !isStructOrEnum(candidate.getTypeNodeOrThrow())) continue;
      this.declared(candidate.getName(), candidate, candidate);
    }
  }

  /** `R`, `Promise<R>`, `void`, or a stream of R (`AsyncIterable<R>` and kin): the reply's struct. */
  private reply(node: TypeNode, method: string): { struct: StructModel; streams: boolean } | undefined {
    let type = node;
    let streamsReplies = false;
    for (;;) {
      if (Node.isTypeReference(type)) {
        const name = type.getTypeName().getText();
        const argument = type.getTypeArguments()[0];
        if ((name === "Promise" || streams.has(name)) && argument !== undefined) {
          streamsReplies ||= streams.has(name);
          type = argument;
          continue;
        }
      }
      break;
    }
    if (type.getKind() === SyntaxKind.VoidKeyword || type.getKind() === SyntaxKind.UndefinedKeyword)
      return { struct: { kind: "struct", fields: [] }, streams: streamsReplies };
    const struct = this.struct(type, `the reply of ${method}`);
    return struct === undefined ? undefined : { struct, streams: streamsReplies };
  }

  /** A type that must be a struct where it stands: a method's parameters or reply, an error's parameters. */
  private struct(node: TypeNode, what: string): StructModel | undefined {
    const declared = this.declarationOf(node);
    if (declared !== undefined && (Node.isInterfaceDeclaration(declared) || Node.isTypeAliasDeclaration(declared))) {
      const list = Node.isInterfaceDeclaration(declared)
        ? this.members(declared)
        : this.type(declared.getTypeNodeOrThrow());
      if (list === undefined) return undefined;
      if (list.kind === "struct") return list;
    }
    const type = declared === undefined ? this.type(node) : undefined;
    if (type?.kind === "struct") return type;
    if (type === undefined && declared === undefined) return undefined;
    return this.report(
      node,
      "derive-method",
      `${what} must be an object type (an interface or an object literal), as varlink methods take and give structs`,
    );
  }

  /** The declaration a type reference names, for references to the project's own types. */
  private declarationOf(node: TypeNode): Node | undefined {
    if (!Node.isTypeReference(node)) return undefined;
    let symbol = node.getTypeName().getSymbol();
    if (symbol?.isAlias()) symbol = symbol.getAliasedSymbol();
    const declaration = symbol?.getDeclarations()[0];
    return declaration !== undefined && isOwn(declaration) ? declaration : undefined;
  }

  /** An interface's properties as a struct's fields. */
  private members(declaration: InterfaceDeclaration): StructModel | undefined {
    if (declaration.getTypeParameters().length > 0)
      return this.report(
        declaration,
        "derive-unsupported-type",
        `${declaration.getName()} is generic: varlink types take no type parameters`,
      );
    return this.fields(declaration.getMembers(), declaration);
  }

  /** Properties as a struct's fields, with the comments before the closing brace. */
  private fields(members: Node[], body: Node): StructModel | undefined {
    // Every field is read, so that one run reports every field varlink cannot say.
    const fields = members.map((member): FieldModel | undefined => {
      if (!Node.isPropertySignature(member))
        return this.report(
          member,
          "derive-unsupported-type",
          "only properties can be fields of a struct: methods and index signatures have no varlink equivalent here",
        );
      return this.field(propertyName(member), member.getTypeNode(), member.hasQuestionToken(), member);
    });
    if (!fields.every((field) => field !== undefined)) return undefined;
    const closing = closingOf(body);
    return { kind: "struct", fields, ...(closing !== undefined ? { closing } : {}) };
  }

  private field(name: string, typeNode: TypeNode | undefined, optional: boolean, node: Node): FieldModel | undefined {
    if (!fieldNamePattern.test(name))
      return this.report(
        node,
        "derive-name",
        `'${name}' is not a varlink field name: letters and digits, single underscores between them`,
      );
    if (typeNode === undefined)
      return this.report(node, "derive-unsupported-type", `the field '${name}' needs a type annotation`);
    const type = this.type(typeNode);
    if (type === undefined) return undefined;
    const doc = docOf(node);
    const comments = commentsOf(node);
    const nullable: TypeModel = optional && type.kind !== "nullable" ? { kind: "nullable", inner: type } : type;
    return {
      name,
      type: nullable,
      ...(doc !== undefined ? { doc } : {}),
      ...(comments !== undefined ? { comments } : {}),
    };
  }

  /**
   * A TypeScript type as a varlink type, or undefined after reporting why it cannot be one.
   * Types nested deeper than the front end reads (named types counted, as they are read in
   * place) are refused here, where they are, before they can exhaust the stack.
   */
  type(node: TypeNode): TypeModel | undefined {
    if (this.depth >= maxNesting)
      return this.report(
        node,
        "nesting-too-deep",
        `types nest more than ${maxNesting} levels deep here; varlink-ts does not read further`,
      );
    this.depth++;
    try {
      return this.typeHere(node);
    } finally {
      this.depth--;
    }
  }

  private typeHere(node: TypeNode): TypeModel | undefined {
    switch (node.getKind()) {
      case SyntaxKind.BooleanKeyword:
        return { kind: "bool" };
      case SyntaxKind.StringKeyword:
        return { kind: "string" };
      case SyntaxKind.BigIntKeyword:
        return { kind: "int" };
      case SyntaxKind.NumberKeyword:
        if (this.options.strictNumbers === true)
          return this.report(
            node,
            "derive-unsupported-type",
            "a bare number: write the runtime's Int for int or Float for float",
          );
        this.diagnostics.push(
          diagnostic(
            node.getSourceFile(),
            node,
            "derive-float",
            "a bare `number` is taken as float; write the runtime's `Int` for int, or `Float` to say float",
          ),
        );
        return { kind: "float" };
      case SyntaxKind.UnknownKeyword:
        return { kind: "any" };
      case SyntaxKind.AnyKeyword:
        return this.report(
          node,
          "derive-unsupported-type",
          "`any` says nothing: write `unknown` (varlink's any) or the type",
        );
    }
    if (Node.isParenthesizedTypeNode(node)) return this.type(node.getTypeNode());
    if (Node.isArrayTypeNode(node))
      return this.wrap(node.getElementTypeNode(), (element) => ({ kind: "array", element }));
    if (Node.isTypeOperatorTypeNode(node) && node.getOperator() === SyntaxKind.ReadonlyKeyword)
      return this.type(node.getTypeNode());
    if (Node.isUnionTypeNode(node)) return this.union(node, node.getTypeNodes());
    if (Node.isLiteralTypeNode(node) && literalValue(node) !== undefined) return this.enumOf([node], node.getPos());
    if (Node.isTypeLiteral(node)) return this.literal(node);
    if (Node.isTupleTypeNode(node))
      return this.report(
        node,
        "derive-unsupported-type",
        "a tuple: varlink has no tuples; use a struct with named fields",
      );
    if (Node.isFunctionTypeNode(node))
      return this.report(node, "derive-unsupported-type", "a function type: functions do not travel");
    if (Node.isTypeReference(node)) return this.reference(node);
    return this.report(node, "derive-unsupported-type", `'${node.getText()}' has no varlink equivalent`);
  }

  private wrap(node: TypeNode, make: (inner: TypeModel) => TypeModel): TypeModel | undefined {
    const inner = this.type(node);
    return inner === undefined ? undefined : make(inner);
  }

  /** `T | null`, `T | undefined`: ?T. A union of string literals: an enum. Any other union: refused. */
  private union(node: TypeNode, members: TypeNode[]): TypeModel | undefined {
    const isNull = (member: TypeNode): boolean =>
      member.getKind() === SyntaxKind.UndefinedKeyword ||
      (Node.isLiteralTypeNode(member) && member.getLiteral().getKind() === SyntaxKind.NullKeyword);
    const rest = members.filter((member) => !isNull(member));
    if (rest.length < members.length) {
      if (rest.length === 0)
        return this.report(node, "derive-unsupported-type", "only null or undefined: no varlink type");
      const inner = rest.length === 1 ? this.type(rest[0]!) : this.union(node, rest);
      if (inner === undefined) return undefined;
      return inner.kind === "nullable" ? inner : { kind: "nullable", inner };
    }
    if (rest.every((member) => literalValue(member) !== undefined)) return this.enumOf(rest, node.getPos());
    return this.report(
      node,
      "derive-unsupported-type",
      `a union of ${rest.map((m) => m.getText()).join(" | ")}: varlink has unions only with null (?T) and of string literals (an enum)`,
    );
  }

  /** String literals as an enum's values, each with the documentation and comments written before it. */
  private enumOf(members: TypeNode[], start: number): EnumModel | undefined {
    const values: EnumModel["values"] = [];
    members.forEach((member, index) => {
      const name = literalValue(member)!;
      const { doc, comments } = unionMemberNotes(member, index === 0 ? start : members[index - 1]!.getEnd());
      values.push({ name, ...(doc !== undefined ? { doc } : {}), ...(comments !== undefined ? { comments } : {}) });
    });
    const invalid = values.find((value) => !fieldNamePattern.test(value.name));
    if (invalid !== undefined)
      return this.report(
        members[values.indexOf(invalid)]!,
        "derive-name",
        `'${invalid.name}' is not a varlink enum value: letters and digits, single underscores between them`,
      );
    return { kind: "enum", values };
  }

  /** `{ a: T }` is a struct; `{ [key: string]: T }` a map. */
  private literal(node: TypeNode & Node): TypeModel | undefined {
    if (!Node.isTypeLiteral(node)) return undefined;
    const members = node.getMembers();
    const index = members.find((member) => Node.isIndexSignatureDeclaration(member));
    if (index !== undefined && Node.isIndexSignatureDeclaration(index)) {
      if (members.length > 1)
        return this.report(
          node,
          "derive-unsupported-type",
          "an index signature beside fields: a varlink struct has fields or is a map, not both",
        );
      if (index.getKeyTypeNode().getKind() !== SyntaxKind.StringKeyword)
        return this.report(index, "derive-unsupported-type", "a map's keys are strings in varlink");
      return this.mapOf(index.getReturnTypeNodeOrThrow());
    }
    return this.fields(members, node);
  }

  private mapOf(value: TypeNode): TypeModel | undefined {
    const type = this.type(value);
    if (type === undefined) return undefined;
    return mapOf(type);
  }

  /** A named type: one the project declares, or else the runtime's markers by name and the standard containers. */
  private reference(node: TypeNode): TypeModel | undefined {
    if (!Node.isTypeReference(node)) return undefined;
    const written = node.getTypeName().getText();
    const name = written.slice(written.lastIndexOf(".") + 1);
    const args = node.getTypeArguments();
    const declaration = this.declarationOf(node);
    if (declaration !== undefined) {
      if (Node.isTypeParameterDeclaration(declaration))
        return this.report(
          node,
          "derive-unsupported-type",
          `'${written}' is a type parameter: a generic left open has no varlink type`,
        );
      if (args.length > 0)
        return this.report(
          node,
          "derive-unsupported-type",
          `'${node.getText()}': generic types have no varlink equivalent; declare the type with its arguments filled in`,
        );
      return this.declared(name, declaration, node);
    }
    switch (name) {
      case "Int":
        return { kind: "int" };
      case "Float":
        return { kind: "float" };
      case "JsonValue":
      case "LosslessJsonValue":
        return { kind: "any" };
      case "JsonObject":
      case "LosslessJsonObject":
        return { kind: "object" };
      case "StringSet":
        return { kind: "set" };
      case "StringMap":
        if (args.length === 1) return this.mapOf(args[0]!);
        break;
      case "Record":
        if (args.length === 2 && args[0]!.getKind() === SyntaxKind.StringKeyword) return this.mapOf(args[1]!);
        return this.report(node, "derive-unsupported-type", "a Record's keys must be string for a varlink map");
      case "Array":
      case "ReadonlyArray":
        if (args.length === 1) return this.wrap(args[0]!, (element) => ({ kind: "array", element }));
        break;
    }
    if (notJson[name] !== undefined)
      return this.report(node, "derive-unsupported-type", `${name} is not JSON: ${notJson[name]}`);
    return this.report(node, "derive-unsupported-type", `'${written}' is not declared in the files read`);
  }

  /**
   * A type the project declares, as a named varlink type (declared once, referred to by name);
   * one marked `@anonymous` is written in place instead.
   */
  private declared(name: string, declaration: Node, use: Node): TypeModel | undefined {
    const anonymous = tagOf(declaration, "anonymous") !== undefined;
    if (!anonymous && !memberNamePattern.test(name))
      return this.report(
        use,
        "derive-name",
        `'${name}' is not a varlink type name: a capital letter, then letters and digits`,
      );
    if (this.resolving.has(name) && anonymous)
      return this.report(
        use,
        "derive-named-type",
        `'${name}' is marked @anonymous but contains itself: only a named type can`,
      );
    if (this.named.has(name) || this.resolving.has(name)) return { kind: "named", name };
    this.resolving.add(name);
    const type = this.declaredType(name, declaration, use);
    this.resolving.delete(name);
    if (type === undefined) return undefined;
    // An alias of anything else (`type Id = string`) stands for what it names: varlink has no such aliases.
    if (anonymous || (type.kind !== "struct" && type.kind !== "enum")) return type;
    const placed = this.placed(declaration, { kind: "type", name, type });
    if (Node.isTypeAliasDeclaration(declaration) && type.kind === "enum") this.aliasComments(declaration, placed, type);
    this.named.set(name, placed);
    return { kind: "named", name };
  }

  private declaredType(name: string, declaration: Node, use: Node): TypeModel | undefined {
    if (Node.isInterfaceDeclaration(declaration)) return this.members(declaration);
    if (Node.isTypeAliasDeclaration(declaration)) return this.type(declaration.getTypeNodeOrThrow());
    if (Node.isEnumDeclaration(declaration)) {
      const values = declaration.getMembers().map((member) => ({
        name: member.getName(),
        value: member.getValue(),
        doc: docOf(member),
        comments: commentsOf(member),
      }));
      if (values.some((v) => v.value !== v.name))
        return this.report(
          declaration,
          "derive-named-type",
          `enum ${name}: only a string enum whose values equal its names is a varlink enum`,
        );
      const closing = closingOf(declaration);
      return {
        kind: "enum",
        values: values.map((v) => ({
          name: v.name,
          ...(v.doc !== undefined ? { doc: v.doc } : {}),
          ...(v.comments !== undefined ? { comments: v.comments } : {}),
        })),
        ...(closing !== undefined ? { closing } : {}),
      };
    }
    return this.report(
      use,
      "derive-named-type",
      `'${name}' is a ${declaration.getKindName()}, not a type varlink can say`,
    );
  }

  /**
   * An enum written as a union alias keeps what follows it: comments below its `;` are those
   * after its last value, and the one at the end of its line is its last value's when its values
   * carry notes (one per line, as generated code writes them), else the type's.
   */
  private aliasComments(declaration: Node, placed: Placed, type: EnumModel): void {
    const below = commentsBelow(declaration);
    if (below !== undefined) type.closing = below;
    const last = type.values[type.values.length - 1]!;
    const trailing = trailingAt(declaration.getSourceFile().getFullText(), declaration.getEnd());
    if (trailing === undefined || !type.values.some((value) => value.doc !== undefined || value.comments !== undefined))
      return;
    last.comments = { ...last.comments, trailing };
    const { comments } = placed.member;
    if (comments?.trailing !== undefined) {
      const { trailing: _moved, ...rest } = comments;
      placed.member.comments = rest.detached !== undefined ? rest : undefined;
    }
  }

  /** Exported classes extending the runtime's VarlinkError, in the file read. */
  private errorClasses(): ClassDeclaration[] {
    return this.sourceFile.getClasses().filter((declaration) => {
      const base = declaration.getExtends();
      return base !== undefined && /(^|\.)VarlinkError$/.test(base.getExpression().getText());
    });
  }

  /**
   * The error classes: exported classes extending the runtime's VarlinkError<P>, in the files
   * read, marked `@varlink NAME` for this interface, or unmarked when the file holds only it.
   */
  private errors(interfaceName: string, onlyInterface: boolean): Placed[] {
    const errors: Placed[] = [];
    for (const declaration of this.errorClasses()) {
      const tag = tagOf(declaration, "varlink");
      if (tag !== undefined ? tag !== interfaceName : !onlyInterface) continue;
      const name = declaration.getName() ?? "";
      if (!memberNamePattern.test(name)) {
        this.report(
          declaration,
          "derive-name",
          `'${name}' is not a varlink error name: a capital letter, then letters and digits`,
        );
        continue;
      }
      const argument = declaration.getExtends()!.getTypeArguments()[0];
      const parameters =
        argument === undefined
          ? { kind: "struct" as const, fields: [] }
          : this.struct(argument, `the parameters of the error ${name}`);
      if (parameters === undefined) continue;
      errors.push(this.placed(declaration, { kind: "error", name, parameters }));
    }
    return errors;
  }
}

/** Whether an alias's type is one varlink can name: an object type, or a union of strings. */
function isStructOrEnum(type: TypeNode): boolean {
  if (Node.isTypeLiteral(type)) return true;
  if (Node.isParenthesizedTypeNode(type)) return isStructOrEnum(type.getTypeNode());
  if (Node.isUnionTypeNode(type)) return type.getTypeNodes().every((member) => literalValue(member) !== undefined);
  return literalValue(type) !== undefined;
}
