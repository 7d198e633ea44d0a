import {
  createConnection,
  ProposedFeatures,
  StreamMessageReader,
  StreamMessageWriter,
} from "vscode-languageserver/node";
import { startLanguageServer } from "../../lsp/server.js";
import type { optionTables } from "../options/commands.js";
import type { OptionValues } from "../options/table.js";

/**
 * `varlink-ts lsp`: serves until the editor says exit (the library then exits: 0 after a
 * shutdown request, 1 without) or closes the pipe, which is an exit without shutdown: 1, as the
 * protocol says. Nothing else may write to standard output meanwhile: it carries the protocol.
 */
export function runLsp(options: OptionValues<typeof optionTables.lsp>): Promise<number> {
  const connection = createConnection(
    ProposedFeatures.all,
    new StreamMessageReader(process.stdin),
    new StreamMessageWriter(process.stdout),
  );
  startLanguageServer({ lint: options.lint }, connection);
  // The library watches the editor's process with a timer, so the process would outlive the pipe.
  return new Promise<number>(() => process.stdin.once("close", () => process.exit(1)));
}
