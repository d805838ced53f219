import { ChildProcess, spawn } from 'node:child_process';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  ClientCapabilities,
  CodeAction,
  CodeActionRequest,
  CodeLensRefreshRequest,
  Command,
  DefinitionRequest,
  Diagnostic,
  DiagnosticRefreshRequest,
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
import { SERVER_NODE_FLAGS } from '../../protocol/index';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { repositoryRoot } from '../django/djangoProject';

/** The bundled language server, as the extension ships it. */
const serverScript = path.join(repositoryRoot, 'dist', 'server.js');

/** Longest wait for one answer or one refresh: a hung server fails the test instead of the suite. */
const ANSWER_TIMEOUT_MS = 10_000;

export interface StartOptions {
  /** Workspace folders (absolute paths). */
  readonly folders: readonly string[];
  readonly initializationOptions?: Record<string, unknown>;
  /** Longest wait for any one answer (default 10 s); a test that expects a hang sets less. */
  readonly answerTimeoutMs?: number;
  /** Added to the server's environment. */
  readonly env?: Readonly<Record<string, string>>;
  /** The server to run (default: the bundled dist/server.js). */
  readonly serverScript?: string;
}

/** What the client declares: pull diagnostics with refresh, progress, hierarchical symbols. */
const CAPABILITIES: ClientCapabilities = {
  window: { workDoneProgress: true },
  workspace: {
    workspaceFolders: true,
    diagnostics: { refreshSupport: true },
    codeLens: { refreshSupport: true },
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
  /** Every client whose server may still run, so none outlives the test run. */
  private static readonly live = new Set<LspClient>();

  /** Kills every server still running: the safety net behind each test file's own shutdown. */
  static killAll(): void {
    for (const client of LspClient.live) client.kill();
  }

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
    private readonly answerTimeoutMs: number,
  ) {
    LspClient.live.add(this);
    child.stderr?.on('data', (chunk: Buffer) => (this.stderr += chunk.toString()));
    child.once('exit', () => {
      this.exited = true;
      LspClient.live.delete(this);
    });
    connection.onRequest(DiagnosticRefreshRequest.type, () => {
      this.refreshCount++;
      const waiters = this.refreshWaiters;
      this.refreshWaiters = [];
      for (const wake of waiters) wake();
    });
    connection.onRequest(CodeLensRefreshRequest.type, () => undefined);
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
    const { client, initializeResult, indexed } = await LspClient.launch(options);
    try {
      await client.within('the first index', indexed);
      return { client, initializeResult };
    } catch (error) {
      client.kill();
      throw error;
    }
  }

  /**
   * Starts and initializes the server without waiting for the first index: `indexed` settles at
   * the refresh that ends it.
   */
  static async launch(options: StartOptions): Promise<{ client: LspClient; initializeResult: InitializeResult; indexed: Promise<void> }> {
    // Started as the extension starts it: the same Node flags.
    const child = spawn(process.execPath, [...SERVER_NODE_FLAGS, options.serverScript ?? serverScript, '--stdio'], {
      stdio: ['pipe', 'pipe', 'pipe'],
      env: { ...process.env, ...options.env },
    });
    const connection = createProtocolConnection(new StreamMessageReader(child.stdout!), new StreamMessageWriter(child.stdin!));
    const client = new LspClient(child, connection, options.answerTimeoutMs ?? ANSWER_TIMEOUT_MS);
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
      return { client, initializeResult, indexed };
    } catch (error) {
      client.kill();
      throw error;
    }
  }

  /** True while the server process runs. */
  get running(): boolean {
    return !this.exited;
  }

  /** Log lines of the server's `safely` guard: a feature threw and answered empty instead. */
  get featureFailures(): string[] {
    return this.logs.filter((log) => log.type === MessageType.Error).map((log) => log.message);
  }

  /**
   * Resolves at the server's next `workspace/diagnostic/refresh` (call before the action that
   * causes it). A refresh that never comes fails the wait, not the server: the test may have
   * moved on.
   */
  nextRefresh(): Promise<void> {
    const refreshed = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`no workspace/diagnostic/refresh within ${this.answerTimeoutMs} ms`)),
        this.answerTimeoutMs,
      );
      timer.unref();
      this.refreshWaiters.push(() => {
        clearTimeout(timer);
        resolve();
      });
    });
    refreshed.catch(() => undefined); // Awaiting it still throws; leaving it unawaited does not.
    return refreshed;
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

  /** The client's copy of an open document (positions, offsets, line count). */
  document(uri: string): TextDocument {
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

  /**
   * Pulls diagnostics again at each refresh, as an editor does, until `expected` holds or
   * `waitMs` has passed; for changes the server takes in after a delay (files changed on disk).
   * Returns the last pull either way, so the caller's assertion shows what the server said.
   */
  async diagnosticsWhen(uriOrFile: string, expected: (items: Diagnostic[]) => boolean, waitMs = 3000): Promise<Diagnostic[]> {
    const deadline = Date.now() + waitMs;
    for (;;) {
      const refreshed = this.nextRefresh();
      const items = await this.diagnostics(uriOrFile);
      const remaining = deadline - Date.now();
      if (expected(items) || remaining <= 0) return items;
      let timer: NodeJS.Timeout | undefined;
      const gaveUp = await Promise.race([
        refreshed.then(
          () => false,
          () => true,
        ),
        new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(true), remaining))),
      ]);
      clearTimeout(timer);
      if (gaveUp) return this.diagnostics(uriOrFile);
    }
  }

  definition(uriOrFile: string, position: Position): Promise<Location | Location[] | LocationLink[] | null> {
    return this.within(
      'definition',
      this.connection.sendRequest(DefinitionRequest.type, { textDocument: { uri: toUri(uriOrFile) }, position }),
    );
  }

  hover(uriOrFile: string, position: Position): Promise<Hover | null> {
    return this.within('hover', this.connection.sendRequest(HoverRequest.type, { textDocument: { uri: toUri(uriOrFile) }, position }));
  }

  references(uriOrFile: string, position: Position, includeDeclaration = false): Promise<Location[] | null> {
    return this.within(
      'references',
      this.connection.sendRequest(ReferencesRequest.type, {
        textDocument: { uri: toUri(uriOrFile) },
        position,
        context: { includeDeclaration },
      }),
    );
  }

  documentSymbols(uriOrFile: string): Promise<DocumentSymbol[] | SymbolInformation[] | null> {
    return this.within(
      'documentSymbol',
      this.connection.sendRequest(DocumentSymbolRequest.type, { textDocument: { uri: toUri(uriOrFile) } }),
    );
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
    try {
      await this.within('shutdown', this.connection.sendRequest(ShutdownRequest.type));
      return await this.exit();
    } finally {
      this.kill();
    }
  }

  /** Sends `exit` (with or without a `shutdown` before it) and resolves with the exit code. */
  async exit(): Promise<number | null> {
    this.stopping = true;
    const ended = new Promise<number | null>((resolve) => this.child.once('exit', (code) => resolve(code)));
    await this.connection.sendNotification(ExitNotification.type);
    return this.within('exit', ended);
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
      const timer = setTimeout(() => {
        this.kill(); // A server that stopped answering may be spinning; it answers nothing more.
        fail(`no answer within ${this.answerTimeoutMs} ms`);
      }, this.answerTimeoutMs);
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

// A root-level hook when mocha loads this module: a test file whose `before` failed half-way
// cannot keep the run waiting on a server it never got to shut down.
if (typeof after === 'function') after(() => LspClient.killAll());
process.once('exit', () => LspClient.killAll());

function toUri(uriOrFile: string): string {
  return uriOrFile.startsWith('file:') ? uriOrFile : fileUri(uriOrFile);
}

/** Applies LSP text edits to a text, as an editor applies a code action's WorkspaceEdit. */
export function applyEdits(text: string, edits: readonly TextEdit[]): string {
  return TextDocument.applyEdits(TextDocument.create('untitled:edit', 'python', 1, text), [...edits]);
}
