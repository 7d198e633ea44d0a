import { spawn, type ChildProcess } from "node:child_process";
import {
  createProtocolConnection,
  InitializeRequest,
  InitializedNotification,
  PublishDiagnosticsNotification,
  StreamMessageReader,
  StreamMessageWriter,
  DidOpenTextDocumentNotification,
  DidChangeTextDocumentNotification,
  ShutdownRequest,
  ExitNotification,
  type InitializeResult,
  type ProtocolConnection,
  type PublishDiagnosticsParams,
} from "vscode-languageserver-protocol/node";
import { binPath } from "./cli.js";

// An editor's side of the Language Server Protocol, with vscode-languageserver-protocol's own
// client connection, talking to `varlink-ts lsp --stdio` as a child process.

export interface LspClient {
  connection: ProtocolConnection;
  capabilities: InitializeResult["capabilities"];
  open(uri: string, text: string): Promise<PublishDiagnosticsParams>;
  /** Replaces the whole text; resolves with the diagnostics published for the new version. */
  change(uri: string, version: number, text: string): Promise<PublishDiagnosticsParams>;
  /** Sends shutdown and exit; resolves with the server's exit code. */
  stop(): Promise<number | null>;
  /** Closes the pipes as a crashed editor would; resolves with the server's exit code. */
  hangUp(): Promise<number | null>;
}

export async function startLspClient(args: string[] = [], initializationOptions: object = {}): Promise<LspClient> {
  const child = spawn(process.execPath, [binPath, "lsp", "--stdio", ...args], { stdio: ["pipe", "pipe", "pipe"] });
  let stderr = "";
  child.stderr.setEncoding("utf8").on("data", (text: string) => (stderr += text));
  const connection = createProtocolConnection(
    new StreamMessageReader(child.stdout),
    new StreamMessageWriter(child.stdin),
  );
  const waiting = new Map<
    string,
    Array<{ version: number | undefined; resolve: (params: PublishDiagnosticsParams) => void }>
  >();
  connection.onNotification(PublishDiagnosticsNotification.type, (params) => {
    const waiters = waiting.get(params.uri) ?? [];
    const ready = waiters.filter((w) => w.version === undefined || w.version === params.version);
    waiting.set(
      params.uri,
      waiters.filter((w) => !ready.includes(w)),
    );
    for (const waiter of ready) waiter.resolve(params);
  });
  connection.listen();
  const diagnosticsFor = (uri: string, version: number): Promise<PublishDiagnosticsParams> =>
    new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`no diagnostics for ${uri} version ${version} within 10 s; server said: ${stderr}`)),
        10_000,
      );
      const list = waiting.get(uri) ?? [];
      list.push({
        version,
        resolve: (params) => {
          clearTimeout(timer);
          resolve(params);
        },
      });
      waiting.set(uri, list);
    });
  const { capabilities } = await connection.sendRequest(InitializeRequest.type, {
    processId: process.pid,
    rootUri: null,
    capabilities: {
      textDocument: {
        publishDiagnostics: { versionSupport: true },
        hover: { contentFormat: ["markdown"] },
        rename: { prepareSupport: true },
      },
    },
    initializationOptions,
  });
  await connection.sendNotification(InitializedNotification.type, {});
  return {
    connection,
    capabilities,
    open: async (uri, text) => {
      const published = diagnosticsFor(uri, 1);
      await connection.sendNotification(DidOpenTextDocumentNotification.type, {
        textDocument: { uri, languageId: "varlink", version: 1, text },
      });
      return published;
    },
    change: async (uri, version, text) => {
      const published = diagnosticsFor(uri, version);
      await connection.sendNotification(DidChangeTextDocumentNotification.type, {
        textDocument: { uri, version },
        contentChanges: [{ text }],
      });
      return published;
    },
    stop: async () => {
      if (child.exitCode !== null) return child.exitCode;
      const exited = exitOf(child);
      await connection.sendRequest(ShutdownRequest.type).catch(() => {});
      await connection.sendNotification(ExitNotification.type).catch(() => {});
      const code = await exited;
      connection.dispose();
      return code;
    },
    hangUp: async () => {
      const exited = exitOf(child);
      connection.dispose();
      child.stdin.end();
      return exited;
    },
  };
}

/** The child's exit code; it is killed if it has not exited within 3 s. */
function exitOf(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill("SIGKILL"), 3000);
    child.once("exit", (code) => {
      clearTimeout(timer);
      resolve(code);
    });
  });
}
