import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { HoverRequest } from "vscode-languageserver-protocol/node";
import { startLspClient, type LspClient } from "../helpers/lsp-client.js";

// An editor (or anything else on the server's stdin) can send messages of the right method with
// the wrong shape. Each is answered with an error or ignored; the server never ends, and answers
// the next well-formed request.

const uri = "file:///tmp/malformed/org.example.ok.varlink";
const text = "interface org.example.ok\n\ntype Thing (name: string)\n\nmethod Get() -> (thing: Thing)\n";

const notifications: Array<[string, string, unknown]> = [
  [
    "didOpen without the text",
    "textDocument/didOpen",
    { textDocument: { uri: "file:///a.varlink", languageId: "varlink", version: 1 } },
  ],
  [
    "didOpen whose text is a number",
    "textDocument/didOpen",
    { textDocument: { uri: "file:///b.varlink", languageId: "varlink", version: 1, text: 42 } },
  ],
  ["didOpen without a document", "textDocument/didOpen", {}],
  ["didOpen with null parameters", "textDocument/didOpen", null],
  ["didChange without changes", "textDocument/didChange", { textDocument: { uri, version: 2 } }],
  [
    "didChange of a document never opened",
    "textDocument/didChange",
    { textDocument: { uri: "file:///never.varlink", version: 2 }, contentChanges: [{ text: "x" }] },
  ],
  [
    "didChange whose range is far past the end",
    "textDocument/didChange",
    {
      textDocument: { uri: "file:///b.varlink", version: 3 },
      contentChanges: [{ range: { start: { line: 1e9, character: 0 }, end: { line: 1e9, character: 5 } }, text: "x" }],
    },
  ],
  [
    "didChange whose text is an object",
    "textDocument/didChange",
    { textDocument: { uri: "file:///a.varlink", version: 2 }, contentChanges: [{ text: { no: "text" } }] },
  ],
  ["didClose of a document never opened", "textDocument/didClose", { textDocument: { uri: "file:///never.varlink" } }],
  [
    "didChangeConfiguration with odd settings",
    "workspace/didChangeConfiguration",
    { settings: { "varlink-ts": "lint please" } },
  ],
];

const requests: Array<[string, string, unknown]> = [
  ["hover without a position", "textDocument/hover", { textDocument: { uri } }],
  ["hover far past the end", "textDocument/hover", { textDocument: { uri }, position: { line: 1e9, character: 1e9 } }],
  [
    "hover at a negative position",
    "textDocument/hover",
    { textDocument: { uri }, position: { line: -5, character: -1 } },
  ],
  [
    "hover with text for numbers",
    "textDocument/hover",
    { textDocument: { uri }, position: { line: "two", character: "three" } },
  ],
  [
    "hover in a document never opened",
    "textDocument/hover",
    { textDocument: { uri: "file:///never.varlink" }, position: { line: 0, character: 0 } },
  ],
  [
    "hover in a document opened without text",
    "textDocument/hover",
    { textDocument: { uri: "file:///a.varlink" }, position: { line: 0, character: 0 } },
  ],
  ["definition with null parameters", "textDocument/definition", null],
  [
    "references without a context",
    "textDocument/references",
    { textDocument: { uri }, position: { line: 2, character: 6 } },
  ],
  [
    "rename to a number",
    "textDocument/rename",
    { textDocument: { uri }, position: { line: 2, character: 6 }, newName: 42 },
  ],
  ["completion without a document", "textDocument/completion", { position: { line: 0, character: 0 } }],
  [
    "document symbols of a document opened without text",
    "textDocument/documentSymbol",
    { textDocument: { uri: "file:///a.varlink" } },
  ],
  ["folding ranges with an empty object", "textDocument/foldingRange", {}],
  ["formatting without options", "textDocument/formatting", { textDocument: { uri } }],
  [
    "range formatting without a range",
    "textDocument/rangeFormatting",
    { textDocument: { uri }, options: { tabSize: 2, insertSpaces: true } },
  ],
  [
    "code actions without a context",
    "textDocument/codeAction",
    { textDocument: { uri }, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 1 } } },
  ],
  ["a method the server does not know", "textDocument/noSuchThing", { textDocument: { uri } }],
];

describe("the language server survives malformed messages", () => {
  let client: LspClient;
  before(async () => {
    client = await startLspClient();
    await client.open(uri, text);
  });
  after(() => client.hangUp());

  /** A well-formed hover on the open document still gets its answer. */
  async function stillAnswers(): Promise<void> {
    const hover = await client.connection.sendRequest(HoverRequest.type, {
      textDocument: { uri },
      position: { line: 4, character: 25 },
    });
    assert.match(JSON.stringify(hover), /Thing/);
  }

  for (const [what, method, params] of notifications) {
    test(`${what}: ignored`, async () => {
      await client.connection.sendNotification(method, params);
      await stillAnswers();
    });
  }

  for (const [what, method, params] of requests) {
    test(`${what}: answered`, async () => {
      // A result or an error response, either way an answer.
      await client.connection.sendRequest(method, params).catch((error: unknown) => error);
      await stillAnswers();
    });
  }
});
