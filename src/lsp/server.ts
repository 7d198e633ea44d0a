import { TextDocument } from "vscode-languageserver-textdocument";
import {
  CodeActionKind,
  createConnection,
  ProposedFeatures,
  TextDocuments,
  TextDocumentSyncKind,
  type Connection,
  type InitializeResult,
} from "vscode-languageserver/node";
import { Analysis } from "./analysis.js";
import { quickFixes } from "./code-actions.js";
import { complete } from "./completion.js";
import { toLspDiagnostic } from "./convert.js";
import { formatDocument, formatRange } from "./formatting.js";
import { hover } from "./hover.js";
import { definition, prepareRename, references, rename } from "./navigation.js";
import { documentSymbols, foldingRanges } from "./outline.js";

// `varlink-ts lsp`: the language server. Each document is parsed once per version, right after
// it changes (a burst of changes is parsed once); every request reads that one analysis.

export interface LanguageServerOptions {
  /** Report the portability warnings too (check's --lint); editors can change it with settings. */
  lint?: boolean;
}

/** Settings a client may send: initializationOptions, or `varlink-ts` in didChangeConfiguration. */
interface Settings {
  lint?: boolean;
}

export function startLanguageServer(
  options: LanguageServerOptions = {},
  connection: Connection = createConnection(ProposedFeatures.all),
): Connection {
  const documents = new TextDocuments(TextDocument);
  const analyses = new Map<string, { version: number; analysis: Analysis }>();
  const pending = new Set<string>();
  let lint = options.lint ?? false;

  const analysisOf = (uri: string): { document: TextDocument; analysis: Analysis } | undefined => {
    const document = documents.get(uri);
    // An editor that opened a document without its text (or with something else) has none to analyse.
    if (document === undefined || typeof document.getText() !== "string") return undefined;
    const cached = analyses.get(uri);
    if (cached !== undefined && cached.version === document.version) return { document, analysis: cached.analysis };
    const analysis = new Analysis(document.getText(), { lint, file: fileName(uri) });
    analyses.set(uri, { version: document.version, analysis });
    return { document, analysis };
  };

  const publish = (uri: string): void => {
    pending.delete(uri);
    const found = analysisOf(uri);
    if (found === undefined) return;
    void connection.sendDiagnostics({
      uri,
      version: found.document.version,
      diagnostics: found.analysis.diagnostics.map((d) => toLspDiagnostic(found.document, d)),
    });
  };

  // Changes that arrive together are parsed once, after the last of them. The parse runs outside
  // any message handler, so nothing would catch what it throws: a failure is reported to the
  // editor's log and the server goes on.
  const schedule = (uri: string): void => {
    if (pending.has(uri)) return;
    pending.add(uri);
    setImmediate(() => {
      try {
        publish(uri);
      } catch (error) {
        connection.console.error(
          `varlink-ts: could not analyse ${String(uri)}: ${error instanceof Error ? error.message : String(error)}`,
        );
      }
    });
  };

  const applySettings = (settings: Settings | undefined): void => {
    if (typeof settings?.lint !== "boolean" || settings.lint === lint) return;
    lint = settings.lint;
    analyses.clear();
    for (const document of documents.all()) schedule(document.uri);
  };

  connection.onInitialize((params): InitializeResult => {
    applySettings(params.initializationOptions as Settings | undefined);
    return {
      capabilities: {
        textDocumentSync: TextDocumentSyncKind.Incremental,
        hoverProvider: true,
        definitionProvider: true,
        referencesProvider: true,
        renameProvider: { prepareProvider: true },
        documentSymbolProvider: true,
        foldingRangeProvider: true,
        documentFormattingProvider: true,
        documentRangeFormattingProvider: true,
        completionProvider: { triggerCharacters: [":", "?", "]", "#", "["] },
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix] },
      },
      serverInfo: { name: "varlink-ts" },
    };
  });
  connection.onDidChangeConfiguration((params) =>
    applySettings((params.settings as Record<string, Settings> | undefined)?.["varlink-ts"]),
  );

  documents.onDidOpen(({ document }) => schedule(document.uri));
  documents.onDidChangeContent(({ document }) => schedule(document.uri));
  documents.onDidClose(({ document }) => {
    analyses.delete(document.uri);
    void connection.sendDiagnostics({ uri: document.uri, diagnostics: [] });
  });

  /** Runs a request on the document's analysis, with the position as an offset. */
  const at = <T>(
    uri: string,
    position: { line: number; character: number },
    use: (document: TextDocument, analysis: Analysis, offset: number) => T,
    none: T,
  ): T => {
    const found = analysisOf(uri);
    return found === undefined ? none : use(found.document, found.analysis, found.document.offsetAt(position));
  };

  connection.onHover(({ textDocument, position }) => at(textDocument.uri, position, hover, null));
  connection.onDefinition(({ textDocument, position }) => at(textDocument.uri, position, definition, null));
  connection.onReferences(({ textDocument, position, context }) =>
    at(textDocument.uri, position, (d, a, o) => references(d, a, o, context.includeDeclaration), []),
  );
  connection.onPrepareRename(({ textDocument, position }) => at(textDocument.uri, position, prepareRename, null));
  connection.onRenameRequest(({ textDocument, position, newName }) =>
    at(textDocument.uri, position, (d, a, o) => rename(d, a, o, newName), null),
  );
  connection.onCompletion(({ textDocument, position }) =>
    at(textDocument.uri, position, (_d, a, o) => complete(a, o), []),
  );
  connection.onDocumentSymbol(({ textDocument }) => {
    const found = analysisOf(textDocument.uri);
    return found === undefined ? [] : documentSymbols(found.document, found.analysis);
  });
  connection.onFoldingRanges(({ textDocument }) => {
    const found = analysisOf(textDocument.uri);
    return found === undefined ? [] : foldingRanges(found.analysis);
  });
  connection.onDocumentFormatting(({ textDocument }) => {
    const found = analysisOf(textDocument.uri);
    return found === undefined ? [] : formatDocument(found.document, found.analysis);
  });
  connection.onDocumentRangeFormatting(({ textDocument, range }) => {
    const found = analysisOf(textDocument.uri);
    return found === undefined ? [] : formatRange(found.document, found.analysis, range);
  });
  connection.onCodeAction(({ textDocument, context }) => quickFixes(textDocument.uri, context.diagnostics));

  documents.listen(connection);
  connection.listen();
  return connection;
}

/** The file name diagnostics carry: the path of a file: URI, else the URI. */
function fileName(uri: string): string {
  try {
    const url = new URL(uri);
    return url.protocol === "file:" ? decodeURIComponent(url.pathname) : uri;
  } catch {
    return uri;
  }
}
