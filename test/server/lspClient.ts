import { ChildProcess, spawn } from 'node:child_process';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  ClientCapabilities,
  DiagnosticRefreshRequest,
  CodeAction,
  CodeActionRequest,
  Command,
  DefinitionRequest,
  Diagnostic,
  DidChangeTextDocumentNotification,
  DidCloseTextDocumentNotification,
  DidOpenTextDocumentNotification,
  DocumentDiagnosticReportKind,
  DocumentDiagnosticRequest,
  DocumentSymbol,
  DocumentSymbolRequest,
  ExitNotification,
  Hover,
  HoverRequest,
  InitializedNotification,
  InitializeRequest,
  InitializeResult,
  Location,
  LocationLink,
  LogMessageNotification,
  MessageType,
  Position,
  ProtocolConnection,
  Range,
  ReferencesRequest,
  ShutdownRequest,
  SymbolInformation,
  TextDocumentContentChangeEvent,
  TextEdit,
  WorkDoneProgressCreateRequest,
  WorkspaceSymbol,
  WorkspaceSymbolRequest,
} from 'vscode-languageserver-protocol';
import { createProtocolConnection, StreamMessageReader, StreamMessageWriter } from 'vscode-languageserver-protocol/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { repositoryRoot } from '../fidelity/djangoProject';

/** The bundled language server, as the extension ships it. */
export const serverScript = path.join(repositoryRoot, 'dist', 'server.js');

/** Longest wait for one answer or one refresh: a hung server fails the test instead of the suite. */
const ANSWER_TIMEOUT_MS = 15_000;

export interface StartOptions {
  /** Workspace folders (absolute paths). */
  readonly folders: readonly string[];
  readonly initializationOptions?: Record<string, unknown>;
}

/** What the client declares: pull diagnostics with refresh, progress, hierarchical symbols. */
const CAPABILITIES: ClientCapabilities = {
  window: { workDoneProgress: true },
  workspace: {
    workspaceFolders: true,
    diagnostics: { refreshSupport: true },
    symbol: {},
  },
  textDocument: {
    synchronization: { dynamicRegistration: false },
    diagnostic: { dynamicRegistration: false, relatedDocumentSupport: false },
    publishDiagnostics: { relatedInformation: true },
    hover: { contentFormat: ['markdown', 'plaintext'] },
    definition: { linkSupport: false },
    documentSymbol: { hierarchicalDocumentSymbolSupport: true },
    codeAction: { codeActionLiteralSupport: { codeActionKind: { valueSet: ['quickfix'] } } },
  },
};

export function fileUri(file: string): string {
  return pathToFileURL(file).href;
}

/**
 * A language client for tests: runs dist/server.js over stdio, speaks LSP through
 * vscode-languageserver-protocol, answers the server's own requests (diagnostic refresh,
 * progress creation) and makes sure the child process never outlives the test.
 */
export class LspClient {
  /** Every `window/logMessage` the server sent, in order. */
  readonly logs: { type: MessageType; message: string }[] = [];
  /** How many `workspace/diagnostic/refresh` requests the server has sent. */
  refreshCount = 0;
  /** How many `window/workDoneProgress/create` requests the server has sent. */
  progressCount = 0;
  private refreshWaiters: (() => void)[] = [];
  /** The client's copy of each open document, kept in step the way the server keeps its own. */
  private readonly documents = new Map<string, TextDocument>();
  private exited = false;
  private stopping = false;
  private stderr = '';

  private constructor(
    private readonly child: ChildProcess,
    readonly connection: ProtocolConnection,
  ) {
    child.stderr?.on('data', (chunk: Buffer) => (this.stderr += chunk.toString()));
    child.once('exit', () => (this.exited = true));
    connection.onRequest(DiagnosticRefreshRequest.type, () => {
      this.refreshCount++;
      const waiters = this.refreshWaiters;
      this.refreshWaiters = [];
      for (const wake of waiters) wake();
    });
    connection.onRequest(WorkDoneProgressCreateRequest.type, () => {
      this.progressCount++;
    });
    connection.onNotification(LogMessageNotification.type, (params) => this.logs.push(params));
    connection.listen();
  }

  /**
   * Starts the server, initializes it with the folders (untrusted unless the options say
   * otherwise) and waits until the first index is built, which the server marks with a
   * diagnostic refresh.
   */
  static async start(options: StartOptions): Promise<{ client: LspClient; initializeResult: InitializeResult }> {
    const child = spawn(process.execPath, [serverScript, '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'] });
    const connection = createProtocolConnection(new StreamMessageReader(child.stdout!), new StreamMessageWriter(child.stdin!));
    const client = new LspClient(child, connection);
    try {
      const indexed = client.nextRefresh();
      const initializeResult = await client.within(
        'initialize',
        connection.sendRequest(InitializeRequest.type, {
          processId: process.pid,
          rootUri: options.folders[0] ? fileUri(options.folders[0]) : null,
          workspaceFolders: options.folders.map((folder) => ({ uri: fileUri(folder), name: path.basename(folder) })),
          capabilities: CAPABILITIES,
          initializationOptions: { trusted: false, ...options.initializationOptions },
        }),
      );
      await connection.sendNotification(InitializedNotification.type, {});
      await indexed;
      return { client, initializeResult };
    } catch (error) {
      client.kill();
      throw error;
    }
  }

  /** True while the server process runs. */
  get running(): boolean {
    return !this.exited;
  }

  /** The server's stderr so far, for failure messages. */
  get errorOutput(): string {
    return this.stderr;
  }

  /** Log lines of the server's `safely` guard: a feature threw and answered empty instead. */
  get featureFailures(): string[] {
    return this.logs.filter((log) => log.type === MessageType.Error).map((log) => log.message);
  }

  /** Resolves at the server's next `workspace/diagnostic/refresh` (call before the action that causes it). */
  nextRefresh(): Promise<void> {
    return this.within('workspace/diagnostic/refresh', new Promise<void>((resolve) => this.refreshWaiters.push(resolve)));
  }

  async open(file: string, text: string, languageId = 'python'): Promise<string> {
    const uri = fileUri(file);
    this.documents.set(uri, TextDocument.create(uri, languageId, 1, text));
    await this.connection.sendNotification(DidOpenTextDocumentNotification.type, {
      textDocument: { uri, languageId, version: 1, text },
    });
    return uri;
  }

  /** Replaces the whole text of an open document. */
  change(uri: string, text: string): Promise<void> {
    return this.sendChanges(uri, [{ text }]);
  }

  /** Applies one ranged edit to an open document, as an editor sends a keystroke. */
  edit(uri: string, range: Range, text: string): Promise<void> {
    return this.sendChanges(uri, [{ range, text }]);
  }

  /** The client's copy of an open document's text. */
  text(uri: string): string {
    return this.document(uri).getText();
  }

  private document(uri: string): TextDocument {
    const document = this.documents.get(uri);
    if (!document) throw new Error(`${uri} is not open`);
    return document;
  }

  private async sendChanges(uri: string, contentChanges: TextDocumentContentChangeEvent[]): Promise<void> {
    const document = this.document(uri);
    TextDocument.update(document, contentChanges, document.version + 1);
    await this.connection.sendNotification(DidChangeTextDocumentNotification.type, {
      textDocument: { uri, version: document.version },
      contentChanges,
    });
  }

  async close(uri: string): Promise<void> {
    this.documents.delete(uri);
    await this.connection.sendNotification(DidCloseTextDocumentNotification.type, { textDocument: { uri } });
  }

  /** `textDocument/diagnostic`: the full report's items. */
  async diagnostics(uriOrFile: string): Promise<Diagnostic[]> {
    const report = await this.within(
      'textDocument/diagnostic',
      this.connection.sendRequest(DocumentDiagnosticRequest.type, { textDocument: { uri: toUri(uriOrFile) } }),
    );
    if (report.kind !== DocumentDiagnosticReportKind.Full) throw new Error(`expected a full report, got ${report.kind}`);
    return report.items;
  }

  definition(uriOrFile: string, position: Position): Promise<Location | Location[] | LocationLink[] | null> {
    return this.within('definition', this.connection.sendRequest(DefinitionRequest.type, { textDocument: { uri: toUri(uriOrFile) }, position }));
  }

  hover(uriOrFile: string, position: Position): Promise<Hover | null> {
    return this.within('hover', this.connection.sendRequest(HoverRequest.type, { textDocument: { uri: toUri(uriOrFile) }, position }));
  }

  references(uriOrFile: string, position: Position, includeDeclaration = false): Promise<Location[] | null> {
    return this.within(
      'references',
      this.connection.sendRequest(ReferencesRequest.type, { textDocument: { uri: toUri(uriOrFile) }, position, context: { includeDeclaration } }),
    );
  }

  documentSymbols(uriOrFile: string): Promise<DocumentSymbol[] | SymbolInformation[] | null> {
    return this.within('documentSymbol', this.connection.sendRequest(DocumentSymbolRequest.type, { textDocument: { uri: toUri(uriOrFile) } }));
  }

  workspaceSymbols(query: string): Promise<SymbolInformation[] | WorkspaceSymbol[] | null> {
    return this.within('workspace/symbol', this.connection.sendRequest(WorkspaceSymbolRequest.type, { query }));
  }

  codeActions(uriOrFile: string, range: Range, diagnostics: Diagnostic[]): Promise<(Command | CodeAction)[] | null> {
    return this.within(
      'codeAction',
      this.connection.sendRequest(CodeActionRequest.type, { textDocument: { uri: toUri(uriOrFile) }, range, context: { diagnostics } }),
    );
  }

  /** `shutdown`, `exit`, and the process's end; kills it if it does not end by itself. */
  async shutdown(): Promise<number | null> {
    if (this.exited) return this.child.exitCode;
    this.stopping = true;
    try {
      await this.within('shutdown', this.connection.sendRequest(ShutdownRequest.type));
      const ended = new Promise<number | null>((resolve) => this.child.once('exit', (code) => resolve(code)));
      await this.connection.sendNotification(ExitNotification.type);
      return await this.within('exit', ended);
    } finally {
      this.kill();
    }
  }

  /** Ends the process and the connection at once; safe to call more than once. */
  kill(): void {
    this.stopping = true;
    this.connection.dispose();
    if (!this.exited) this.child.kill('SIGKILL');
  }

  /** Rejects when the server takes too long or has died, naming what was awaited. */
  private within<T>(what: string, promise: PromiseLike<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const fail = (reason: string) => reject(new Error(`${what}: ${reason}${this.stderr ? `\nserver stderr:\n${this.stderr}` : ''}`));
      const timer = setTimeout(() => fail(`no answer within ${ANSWER_TIMEOUT_MS} ms`), ANSWER_TIMEOUT_MS);
      const onExit = (code: number | null) => {
        if (!this.stopping) fail(`the server exited with code ${code}`);
      };
      this.child.once('exit', onExit);
      Promise.resolve(promise).then(
        (value) => {
          clearTimeout(timer);
          this.child.off('exit', onExit);
          resolve(value);
        },
        (error: unknown) => {
          clearTimeout(timer);
          this.child.off('exit', onExit);
          fail(error instanceof Error ? error.message : String(error));
        },
      );
    });
  }
}

function toUri(uriOrFile: string): string {
  return uriOrFile.startsWith('file:') ? uriOrFile : fileUri(uriOrFile);
}

/** Applies LSP text edits to a text, as an editor applies a code action's WorkspaceEdit. */
export function applyEdits(text: string, edits: readonly TextEdit[]): string {
  return TextDocument.applyEdits(TextDocument.create('untitled:edit', 'python', 1, text), [...edits]);
}
