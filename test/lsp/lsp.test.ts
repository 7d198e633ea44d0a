import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import {
  CodeActionRequest,
  CompletionRequest,
  DefinitionRequest,
  DidChangeConfigurationNotification,
  DocumentFormattingRequest,
  DocumentRangeFormattingRequest,
  DocumentSymbolRequest,
  FoldingRangeRequest,
  HoverRequest,
  PrepareRenameRequest,
  ReferencesRequest,
  RenameRequest,
  type CodeAction,
  type CompletionItem,
  type Diagnostic,
  type DocumentSymbol,
  type MarkupContent,
  type Position,
  type TextEdit,
} from "vscode-languageserver-protocol/node";
import { startLspClient, type LspClient } from "../helpers/lsp-client.js";

// `varlink-ts lsp --stdio` driven as an editor drives it, through vscode-languageserver-protocol's
// client connection.

const ship = `interface org.example.ftl

# A point in the galaxy.
type Coordinate (longitude: float, latitude: float)

# Where and when to jump.
type Jump (target: Coordinate, delay: ?int)

# Jumps, reporting the position as the ship goes.
# [Requires 'more' flag]
method Travel(jump: Jump) -> (position: Coordinate)

error NotEnoughEnergy (needed: float)
`;

/** The position of the `occurrence`-th `needle` in `text` (plus `shift` characters). */
function at(text: string, needle: string, occurrence = 1, shift = 0): Position {
  let offset = -1;
  for (let i = 0; i < occurrence; i++) offset = text.indexOf(needle, offset + 1);
  assert.ok(offset >= 0, `'${needle}' #${occurrence} is in the text`);
  const before = text.slice(0, offset + shift);
  return { line: before.split("\n").length - 1, character: offset + shift - (before.lastIndexOf("\n") + 1) };
}

/** Applies edits to `text`, last first. */
function applyEdits(text: string, edits: readonly TextEdit[]): string {
  const offsetOf = (p: Position): number =>
    text
      .split("\n")
      .slice(0, p.line)
      .reduce((sum, line) => sum + line.length + 1, 0) + p.character;
  return [...edits]
    .map((edit) => ({ start: offsetOf(edit.range.start), end: offsetOf(edit.range.end), newText: edit.newText }))
    .sort((a, b) => b.start - a.start)
    .reduce((result, edit) => result.slice(0, edit.start) + edit.newText + result.slice(edit.end), text);
}

describe("varlink-ts lsp", () => {
  let client: LspClient;
  let documents = 0;
  /** Opens `text` as a new document; each test gets its own URI. */
  const open = async (text: string): Promise<{ uri: string; diagnostics: Diagnostic[] }> => {
    const uri = `file:///work/test-${++documents}.varlink`;
    return { uri, diagnostics: (await client.open(uri, text)).diagnostics };
  };
  before(async () => {
    client = await startLspClient();
  });
  after(() => client.stop());

  test("initialize lists the features", () => {
    const c = client.capabilities;
    assert.equal(c.hoverProvider, true);
    assert.equal(c.definitionProvider, true);
    assert.equal(c.referencesProvider, true);
    assert.deepEqual(c.renameProvider, { prepareProvider: true });
    assert.equal(c.documentSymbolProvider, true);
    assert.equal(c.foldingRangeProvider, true);
    assert.equal(c.documentFormattingProvider, true);
    assert.equal(c.documentRangeFormattingProvider, true);
    assert.ok(c.completionProvider?.triggerCharacters?.includes(":"));
    assert.deepEqual(c.codeActionProvider, { codeActionKinds: ["quickfix"] });
  });

  test("opening a file with an undefined type publishes its diagnostic, as check reports it", async () => {
    const text = "interface org.example.a\n\nmethod M(x: Missing) -> ()\n";
    const { diagnostics } = await open(text);
    assert.equal(diagnostics.length, 1);
    const [d] = diagnostics;
    assert.equal(d!.code, "undefined-type");
    assert.equal(d!.source, "varlink-ts");
    assert.match(String(d!.message), /unknown type 'Missing'/);
    assert.deepEqual(d!.range, { start: at(text, "Missing"), end: at(text, "Missing", 1, 7) });
  });

  test("a change publishes the diagnostics of the new version", async () => {
    const { uri, diagnostics } = await open("interface org.example.a\n\nmethod M(x: Missing) -> ()\n");
    assert.equal(diagnostics.length, 1);
    const fixed = await client.change(uri, 2, "interface org.example.a\n\nmethod M(x: int) -> ()\n");
    assert.equal(fixed.version, 2);
    assert.deepEqual(fixed.diagnostics, []);
  });

  test("the lint setting adds the portability warnings", async (t) => {
    const text = "interface org.example.a\n\nmethod M(x: [][]int) -> ()\n";
    const { uri, diagnostics } = await open(text);
    assert.deepEqual(diagnostics, []);
    await client.connection.sendNotification(DidChangeConfigurationNotification.type, {
      settings: { "varlink-ts": { lint: true } },
    });
    t.after(() =>
      client.connection.sendNotification(DidChangeConfigurationNotification.type, {
        settings: { "varlink-ts": { lint: false } },
      }),
    );
    const linted = await client.change(uri, 2, text);
    assert.deepEqual(
      linted.diagnostics.map((d) => d.code),
      ["portability-nested-container"],
    );
  });

  test("hover on a type reference shows the type's definition and documentation", async () => {
    const { uri } = await open(ship);
    const hover = await client.connection.sendRequest(HoverRequest.type, {
      textDocument: { uri },
      position: at(ship, "Coordinate", 2, 2),
    });
    const value = (hover!.contents as MarkupContent).value;
    assert.match(value, /type Coordinate \(longitude: float, latitude: float\)/);
    assert.match(value, /A point in the galaxy\./);
  });

  test("hover on a method shows its signature, documentation and more flag", async () => {
    const { uri } = await open(ship);
    const hover = await client.connection.sendRequest(HoverRequest.type, {
      textDocument: { uri },
      position: at(ship, "Travel", 1, 1),
    });
    const value = (hover!.contents as MarkupContent).value;
    assert.match(value, /method Travel\(jump: Jump\) -> \(position: Coordinate\)/);
    assert.match(value, /Jumps, reporting the position/);
    assert.match(value, /must be called with `more`/);
    assert.doesNotMatch(value, /\[Requires 'more' flag\]/, "the annotation is said in words, not repeated");
  });

  test("hover on a keyword gives a line of help", async () => {
    const { uri } = await open(ship);
    const hover = await client.connection.sendRequest(HoverRequest.type, {
      textDocument: { uri },
      position: at(ship, "error", 1, 2),
    });
    assert.match((hover!.contents as MarkupContent).value, /declares an error a method may reply with/);
  });

  test("definition of a type reference is its declaration", async () => {
    const { uri } = await open(ship);
    const location = await client.connection.sendRequest(DefinitionRequest.type, {
      textDocument: { uri },
      position: at(ship, "Jump)", 1, 1),
    });
    assert.deepEqual(location, { uri, range: { start: at(ship, "Jump ("), end: at(ship, "Jump (", 1, 4) } });
  });

  test("references of a type are its declaration and every use", async () => {
    const { uri } = await open(ship);
    const locations = await client.connection.sendRequest(ReferencesRequest.type, {
      textDocument: { uri },
      position: at(ship, "Coordinate", 1),
      context: { includeDeclaration: true },
    });
    assert.deepEqual(
      locations?.map((l) => l.range.start),
      [at(ship, "Coordinate", 1), at(ship, "Coordinate", 2), at(ship, "Coordinate", 3)],
    );
  });

  test("rename changes the declaration and every reference in the file", async () => {
    const { uri } = await open(ship);
    const prepared = await client.connection.sendRequest(PrepareRenameRequest.type, {
      textDocument: { uri },
      position: at(ship, "Coordinate", 3),
    });
    assert.deepEqual(prepared, {
      range: { start: at(ship, "Coordinate", 3), end: at(ship, "Coordinate", 3, 10) },
      placeholder: "Coordinate",
    });
    const edit = await client.connection.sendRequest(RenameRequest.type, {
      textDocument: { uri },
      position: at(ship, "Coordinate", 3),
      newName: "Point",
    });
    const renamed = applyEdits(ship, edit?.changes?.[uri] ?? []);
    assert.doesNotMatch(renamed, /Coordinate/);
    assert.equal(renamed.match(/\bPoint\b/g)?.length, 3);
  });

  test("rename refuses a name that is not a valid type name", async () => {
    const { uri } = await open(ship);
    await assert.rejects(
      client.connection.sendRequest(RenameRequest.type, {
        textDocument: { uri },
        position: at(ship, "Coordinate"),
        newName: "point_2",
      }),
      /'point_2' is not a valid type name/,
    );
  });

  test("rename refuses a name another member already has", async () => {
    const { uri } = await open(ship);
    await assert.rejects(
      client.connection.sendRequest(RenameRequest.type, {
        textDocument: { uri },
        position: at(ship, "Coordinate"),
        newName: "Travel",
      }),
      /'Travel' is already declared as a method/,
    );
  });

  test("rename works on errors too", async () => {
    const { uri } = await open(ship);
    const edit = await client.connection.sendRequest(RenameRequest.type, {
      textDocument: { uri },
      position: at(ship, "NotEnoughEnergy"),
      newName: "LowEnergy",
    });
    assert.match(applyEdits(ship, edit?.changes?.[uri] ?? []), /^error LowEnergy \(needed: float\)$/m);
  });

  test("document symbols give the outline: the interface, its members and their fields", async () => {
    const { uri } = await open(ship);
    const symbols = (await client.connection.sendRequest(DocumentSymbolRequest.type, {
      textDocument: { uri },
    })) as DocumentSymbol[];
    assert.equal(symbols[0]!.name, "org.example.ftl");
    assert.deepEqual(
      symbols[0]!.children?.map((s) => s.name),
      ["Coordinate", "Jump", "Travel", "NotEnoughEnergy"],
    );
    assert.deepEqual(
      symbols[0]!.children![0]!.children?.map((s) => s.name),
      ["longitude", "latitude"],
    );
  });

  test("folding ranges cover multi-line declarations and comment blocks", async () => {
    const text = "interface org.example.a\n\n# One\n# Two\n# Three\ntype T (\n  a: int,\n  b: int\n)\n";
    const { uri } = await open(text);
    const ranges = await client.connection.sendRequest(FoldingRangeRequest.type, { textDocument: { uri } });
    assert.deepEqual(
      ranges?.map((r) => [r.startLine, r.endLine, r.kind]).sort(),
      [
        [2, 4, "comment"],
        [5, 8, undefined],
      ].sort(),
    );
  });

  test("formatting rewrites the file in the canonical style", async () => {
    const text = "interface org.example.a\ntype T (a:int,b:  string)\nmethod M(t:T)->()\n";
    const { uri } = await open(text);
    const edits = await client.connection.sendRequest(DocumentFormattingRequest.type, {
      textDocument: { uri },
      options: { tabSize: 2, insertSpaces: true },
    });
    assert.equal(
      applyEdits(text, edits ?? []),
      "interface org.example.a\n\ntype T (a: int, b: string)\n\nmethod M(t: T) -> ()\n",
    );
  });

  test("range formatting rewrites only the members in the range", async () => {
    const text = "interface org.example.a\n\ntype T (a:int)\n\nmethod M(t:T)->()\n";
    const { uri } = await open(text);
    const edits = await client.connection.sendRequest(DocumentRangeFormattingRequest.type, {
      textDocument: { uri },
      range: { start: at(text, "method"), end: at(text, "->") },
      options: { tabSize: 2, insertSpaces: true },
    });
    assert.equal(applyEdits(text, edits ?? []), "interface org.example.a\n\ntype T (a:int)\n\nmethod M(t: T) -> ()\n");
  });

  test("completion after ':' offers the declared types and the builtins", async () => {
    const text = "interface org.example.a\n\ntype Coordinate (x: float)\n\nmethod M(c: Co) -> ()\n";
    const { uri } = await open(text);
    const items = (await client.connection.sendRequest(CompletionRequest.type, {
      textDocument: { uri },
      position: at(text, "Co)", 1, 2),
    })) as CompletionItem[];
    const labels = items.map((item) => item.label);
    assert.ok(labels.includes("Coordinate"));
    assert.ok(labels.includes("string"));
    assert.ok(!labels.includes("method"));
  });

  test("completion where a member starts offers the keywords", async () => {
    const text = "interface org.example.a\n\nme\n";
    const { uri } = await open(text);
    const items = (await client.connection.sendRequest(CompletionRequest.type, {
      textDocument: { uri },
      position: at(text, "me", 1, 2),
    })) as CompletionItem[];
    assert.deepEqual(items.map((item) => item.label).sort(), ["error", "method", "type"]);
  });

  test("completion in a comment above a method offers the flag annotations", async () => {
    const text = "interface org.example.a\n\n# Streams.\n# [Req\nmethod M() -> ()\n";
    const { uri } = await open(text);
    const items = (await client.connection.sendRequest(CompletionRequest.type, {
      textDocument: { uri },
      position: at(text, "[Req", 1, 4),
    })) as CompletionItem[];
    assert.deepEqual(
      items.map((item) => item.label),
      ["[Requires 'more' flag]", "[Requires 'upgrade' flag]"],
    );
  });

  /** Opens `text`, takes the quick fixes for its first diagnostic, and applies the preferred one. */
  async function quickFix(text: string): Promise<{ title: string; fixed: string }> {
    const { uri, diagnostics } = await open(text);
    assert.ok(diagnostics.length > 0, "the text has a diagnostic");
    const actions = (await client.connection.sendRequest(CodeActionRequest.type, {
      textDocument: { uri },
      range: diagnostics[0]!.range,
      context: { diagnostics: [diagnostics[0]!] },
    })) as CodeAction[];
    const preferred = actions.find((action) => action.isPreferred);
    assert.ok(preferred, "a preferred quick fix");
    assert.equal(preferred.kind, "quickfix");
    return { title: preferred.title, fixed: applyEdits(text, preferred.edit?.changes?.[uri] ?? []) };
  }

  test("fix-it: (time string) gets its ':'", async () => {
    const { title, fixed } = await quickFix("interface org.example.a\n\nmethod M(time string) -> ()\n");
    assert.equal(title, "insert ':' after 'time'");
    assert.equal(fixed, "interface org.example.a\n\nmethod M(time: string) -> ()\n");
  });

  test("fix-it: list<T> becomes []T", async () => {
    const { fixed } = await quickFix("interface org.example.a\n\nmethod M(names: list<string>) -> ()\n");
    assert.equal(fixed, "interface org.example.a\n\nmethod M(names: []string) -> ()\n");
  });

  test("fix-it: braces around the members are removed", async () => {
    const { fixed } = await quickFix("interface org.example.a {\n  method M() -> ()\n}\n");
    assert.equal(fixed, "interface org.example.a\n  method M() -> ()\n");
  });

  test("fix-it: a version after the interface name is removed", async () => {
    const { fixed } = await quickFix("interface org.example.a 2\n\nmethod M() -> ()\n");
    assert.equal(fixed, "interface org.example.a\n\nmethod M() -> ()\n");
  });

  test("fix-it: an undefined type a letter off a declared one becomes that one", async () => {
    const { title, fixed } = await quickFix(
      "interface org.example.a\n\ntype Thing (a: int)\n\nmethod M(t: Thng) -> ()\n",
    );
    assert.equal(title, "change it to 'Thing'");
    assert.match(fixed, /method M\(t: Thing\)/);
  });
});

describe("varlink-ts lsp's lifetime", () => {
  test("shutdown then exit ends the server with code 0", async () => {
    const client = await startLspClient();
    assert.equal(await client.stop(), 0);
  });

  test("an editor that goes away without shutdown ends the server with code 1", async () => {
    const client = await startLspClient();
    assert.equal(await client.hangUp(), 1);
  });
});
