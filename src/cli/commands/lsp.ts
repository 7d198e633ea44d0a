import { createConnection, ProposedFeatures, StreamMessageReader, StreamMessageWriter } from "vscode-languageserver/node";
import { startLanguageServer } from "../../lsp/server.js";

/**
 * `varlink-ts lsp`: serves until the editor says exit (or closes the pipe). Nothing else may
 * write to standard output meanwhile: it carries the protocol.
 */
export function runLsp(options: { lint: boolean }): Promise<number> {
  const connection = createConnection(ProposedFeatures.all, new StreamMessageReader(process.stdin), new StreamMessageWriter(process.stdout));
  startLanguageServer(options, connection);
  return new Promise<number>(() => {});
}
