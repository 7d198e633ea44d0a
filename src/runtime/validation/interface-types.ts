// The types of an interface, read from its description text. Generated code carries that text
// anyway (GetInterfaceDescription returns it), so the slow paths (reporting every problem of a
// value that failed its generated check, converting integers) read the types from it, and no
// generated code is spent on them. The text was checked when the code was generated, so this
// reader trusts it: it knows the grammar, not the diagnostics.

export type TypeDescription =
  | { kind: "bool" | "int" | "float" | "string" | "object" | "any" }
  | { kind: "named"; name: string }
  | { kind: "array"; element: TypeDescription }
  | { kind: "map"; value: TypeDescription }
  | { kind: "set" }
  | { kind: "nullable"; inner: TypeDescription }
  | { kind: "struct"; fields: Array<{ name: string; type: TypeDescription }> }
  | { kind: "enum"; values: string[] };

/**
 * An interface's types by key: a declared type by its name (`Crate`), a method's parameters and
 * reply as `Jump.input` and `Jump.output`, an error's parameters by the error's name.
 */
export type TypeTable = ReadonlyMap<string, TypeDescription>;

const primitives = new Set(["bool", "int", "float", "string", "object", "any"]);

class Reader {
  private position = 0;

  constructor(private readonly text: string) {}

  /** Skips whitespace (any Unicode space or line end) and `#` comments. */
  private skip(): void {
    const text = this.text;
    while (this.position < text.length) {
      const c = text[this.position]!;
      if (c === "#") {
        while (this.position < text.length && text[this.position] !== "\n" && text[this.position] !== "\r") this.position++;
      } else if (/\s/.test(c)) this.position++;
      else return;
    }
  }

  atEnd(): boolean {
    this.skip();
    return this.position >= this.text.length;
  }

  peek(token: string): boolean {
    this.skip();
    return this.text.startsWith(token, this.position);
  }

  expect(token: string): void {
    if (!this.peek(token)) throw new Error(`interface description: expected '${token}' at offset ${this.position}`);
    this.position += token.length;
  }

  word(): string {
    this.skip();
    const match = /^[A-Za-z0-9_.-]+/.exec(this.text.slice(this.position, this.position + 512));
    if (match === null) throw new Error(`interface description: expected a name at offset ${this.position}`);
    this.position += match[0].length;
    return match[0];
  }

  type(): TypeDescription {
    if (this.peek("?")) {
      this.expect("?");
      return { kind: "nullable", inner: this.type() };
    }
    if (this.peek("[]")) {
      this.expect("[]");
      return { kind: "array", element: this.type() };
    }
    if (this.peek("[")) {
      this.expect("[");
      this.expect("string");
      this.expect("]");
      const value = this.type();
      return value.kind === "struct" && value.fields.length === 0 ? { kind: "set" } : { kind: "map", value };
    }
    if (this.peek("(")) return this.list();
    const name = this.word();
    return primitives.has(name) ? { kind: name as "int" } : { kind: "named", name };
  }

  /** `(a: T, b: U)` is a struct, `(a, b)` an enum, `()` an empty struct. */
  list(): TypeDescription {
    this.expect("(");
    const fields: Array<{ name: string; type: TypeDescription }> = [];
    const values: string[] = [];
    while (!this.peek(")")) {
      const name = this.word();
      if (this.peek(":")) {
        this.expect(":");
        fields.push({ name, type: this.type() });
      } else values.push(name);
      if (!this.peek(")")) this.expect(",");
    }
    this.expect(")");
    return values.length > 0 ? { kind: "enum", values } : { kind: "struct", fields };
  }
}

/** Reads every member of an interface description into a table (see TypeTable). */
export function readInterfaceTypes(description: string): TypeTable {
  const reader = new Reader(description);
  const table = new Map<string, TypeDescription>();
  reader.expect("interface");
  reader.word();
  while (!reader.atEnd()) {
    const keyword = reader.word();
    const name = reader.word();
    if (keyword === "type") table.set(name, reader.type());
    else if (keyword === "error") table.set(name, reader.list());
    else if (keyword === "method") {
      table.set(`${name}.input`, reader.list());
      reader.expect("->");
      table.set(`${name}.output`, reader.list());
    } else throw new Error(`interface description: unknown keyword '${keyword}'`);
  }
  return table;
}

/** A type as the IDL writes it, for messages: `[]string`, `(name: string, channel: string)`. */
export function typeText(type: TypeDescription): string {
  switch (type.kind) {
    case "named":
      return type.name;
    case "array":
      return `[]${typeText(type.element)}`;
    case "map":
      return `[string]${typeText(type.value)}`;
    case "set":
      return "[string]()";
    case "nullable":
      return `?${typeText(type.inner)}`;
    case "struct":
      return `(${type.fields.map((f) => `${f.name}: ${typeText(f.type)}`).join(", ")})`;
    case "enum":
      return `(${type.values.join(", ")})`;
    default:
      return type.kind;
  }
}

/**
 * An interface's types, read when first needed: most programs never validate a value that
 * fails, and those that do pay for reading the text once.
 */
export class InterfaceTypes {
  private table: TypeTable | undefined;

  constructor(
    readonly description: string,
    /** How the generated code represents `int`. */
    readonly integers: "number" | "bigint" = "number",
  ) {}

  get(key: string): TypeDescription {
    this.table ??= readInterfaceTypes(this.description);
    const type = this.table.get(key);
    if (type === undefined) throw new Error(`the interface declares no '${key}'`);
    return type;
  }

  private recursiveKeys: Map<string, boolean> | undefined;

  /**
   * Whether values of the type `key` names can nest without end (`type Node (children: []Node)`):
   * only then can their depth exceed what the interface text itself nests.
   */
  recursive(key: string): boolean {
    this.recursiveKeys ??= new Map();
    let known = this.recursiveKeys.get(key);
    if (known === undefined) {
      known = reachesCycle(this.get(key), (name) => this.get(name), new Set());
      this.recursiveKeys.set(key, known);
    }
    return known;
  }
}

/** Whether following the named types `type` refers to comes back to one already on the way. */
function reachesCycle(type: TypeDescription, lookup: (name: string) => TypeDescription, onTheWay: Set<string>): boolean {
  switch (type.kind) {
    case "named": {
      if (onTheWay.has(type.name)) return true;
      onTheWay.add(type.name);
      const found = reachesCycle(lookup(type.name), lookup, onTheWay);
      onTheWay.delete(type.name);
      return found;
    }
    case "array":
      return reachesCycle(type.element, lookup, onTheWay);
    case "map":
      return reachesCycle(type.value, lookup, onTheWay);
    case "nullable":
      return reachesCycle(type.inner, lookup, onTheWay);
    case "struct":
      return type.fields.some((field) => reachesCycle(field.type, lookup, onTheWay));
    default:
      return false;
  }
}

/** Generated modules call this at their top level; it does nothing until a type is asked for. */
export function interfaceTypes(description: string, integers?: "bigint"): InterfaceTypes {
  return new InterfaceTypes(description, integers);
}
