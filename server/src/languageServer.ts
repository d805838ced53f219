import { parseDjangoVersion } from './core/djangoVersion';
import { readFileSync } from 'node:fs';
import {
  CodeActionKind,
  CodeLensRefreshRequest,
  Diagnostic,
  Connection,
  DidChangeWatchedFilesParams,
  DocumentDiagnosticReportKind,
  FileEvent,
  InitializeParams,
  InitializeResult,
  TextDocuments,
  TextDocumentSyncKind,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { appliedAliases } from './features/appliedAliases';
import { publishedOn } from './features/publishedMigration';
import { codeActions } from './features/codeActions';
import { acceptHarmlessQuickFix } from './features/harmlessQuickFixes';
import { finishSquashActions, finishSquashReport, prepareRename, rebaseActions, rename } from './features/migrationRefactorings';
import { UndoneRenames } from './features/undoneRenames';
import { codeLenses } from './features/codeLenses';
import { definition } from './features/definition';
import { documentSymbols } from './features/documentSymbols';
import { uriToPath } from './features/fileUri';
import { hover } from './features/hover';
import { lintConfigurationProblems } from './features/lintDiagnostics';
import { ModelsDiagnostics } from './features/modelsDiagnostics';
import { modelsHover, modelsReferences, ProjectReading } from './features/modelNavigation';
import { extraProblems } from './features/problemSources';
import { references } from './features/references';
import { toDiagnostic } from './features/toDiagnostic';
import { WorkspaceDiagnostics } from './features/workspaceDiagnostics';
import { workspaceSymbols } from './features/workspaceSymbols';
import { MigrationProject } from './project/migrationProject';
import { decodeSource } from './project/sourceText';
import { FinishSquashReportRequest, InitializationOptions } from '../../protocol/index';
import { registerCustomRequests } from './customRequests';
import { ServerContext } from './serverContext';
import { Workspace } from './workspace/workspace';

/** Files whose change can alter which apps and migrations exist, not just one migration's text. */
const PROJECT_FILES = new Set(['manage.py', 'apps.py', '__init__.py', 'settings.py']);
const RELOAD_DELAY_MS = 300;
const REFRESH_DELAY_MS = 30;
/** After an index, the editor pulls the diagnostics it announced: the caches are written after that. */
const CACHE_WRITE_DELAY_MS = 1_000;

/**
 * The language server: owns the project models, keeps them in step with the editor and the disk,
 * and answers LSP requests through one small handler per feature.
 */
export class MigrationLanguageServer implements ServerContext {
  private readonly documents = new TextDocuments(TextDocument);
  private readonly workspaceDiagnostics = new WorkspaceDiagnostics();
  private folders: string[] = [];
  options: InitializationOptions = { trusted: false };
  private readonly loadListeners: (() => void)[] = [];
  private readonly fileListeners: ((changes: readonly FileEvent[]) => void)[] = [];
  private loading: Promise<void> = Promise.resolve();
  /** The projects the first index found, while it reads their migrations; undefined once it is done. */
  private discovering: MigrationProject[] | undefined = [];
  /** Settles when the first index has found its projects (or is done). */
  private readonly discoveredOnce: Promise<void>;
  private markDiscovered: () => void = () => undefined;
  private reloadTimer: NodeJS.Timeout | undefined;
  private refreshTimer: NodeJS.Timeout | undefined;
  /** The parse caches an index read, written once the diagnostics it announced were pulled (or at shutdown). */
  private readonly cacheWrites: (() => Promise<void>)[] = [];
  private cacheWriteTimer: NodeJS.Timeout | undefined;
  /** The writes under way: a shutdown waits for them, so that none is cut short. */
  private cacheWriting: Promise<unknown> = Promise.resolve();
  readonly workspace: Workspace;
  private readonly modelsDiagnostics: ModelsDiagnostics;
  private readonly undoneRenames: UndoneRenames;

  constructor(readonly connection: Connection) {
    this.discoveredOnce = new Promise((resolve) => (this.markDiscovered = resolve));
    this.workspace = Workspace.forServer(this);
    this.modelsDiagnostics = new ModelsDiagnostics(this);
    this.undoneRenames = new UndoneRenames(this);
    this.documents.listen(connection);
    connection.onInitialize((params) => this.initialize(params));
    connection.onInitialized(() => void this.reload());
    connection.onShutdown(async () => {
      clearTimeout(this.reloadTimer);
      clearTimeout(this.refreshTimer);
      await this.writeCaches();
      await this.workspace.dispose();
    });
    this.documents.onDidChangeContent(({ document }) => this.onEdit(document));
    this.documents.onDidClose(({ document }) => this.onClose(document));
    connection.onDidChangeWatchedFiles((params) => this.onFilesChanged(params));

    connection.languages.diagnostics.on(async ({ textDocument }) => {
      const early = await this.earlyDiagnostics(textDocument.uri);
      if (early) return { kind: DocumentDiagnosticReportKind.Full, items: early };
      await this.loading;
      const items = this.safely(
        'diagnostics',
        () => {
          const file = uriToPath(textDocument.uri);
          if (!file) return [];
          // A project's problems on other files (settings, manage.py, a migrations package's
          // __init__.py) too: an open document's pull stands for the workspace pull's report.
          const project = this.projectOf(file);
          return (project ? [project] : this.projects()).flatMap((p) => p.analyse().problemsByFile.get(file) ?? []).map(toDiagnostic);
        },
        [],
      );
      const file = uriToPath(textDocument.uri);
      const project = file && this.projectOf(file);
      if (file && project) items.push(...(await extraProblems(this, project, file)).map(toDiagnostic));
      else if (file) {
        const models = await this.modelsDiagnostics.problems(file).catch(() => []);
        const configuration = await lintConfigurationProblems(this, file).catch(() => []);
        items.push(...[...models, ...configuration].map(toDiagnostic));
      }
      return { kind: DocumentDiagnosticReportKind.Full, items };
    });
    connection.languages.diagnostics.onWorkspace(async (_params, token) => {
      await this.loading;
      const items = await this.workspaceDiagnostics
        .pull(this, () => this.projects(), token)
        .catch((error: unknown) => {
          connection.console.error(
            `workspace diagnostics failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
          );
          return [];
        });
      return { items };
    });
    connection.onDefinition(async ({ textDocument, position }) => {
      await this.modelsDiagnostics.whenLoaded();
      return this.withProject(textDocument.uri, 'definition', [], (project, file) =>
        definition(project, file, position, this.modelsDiagnostics.readingOf(project)),
      );
    });
    connection.onHover(
      async ({ textDocument, position }) =>
        (await this.withProject(textDocument.uri, 'hover', null, (project, file) => hover(project, file, position))) ??
        this.inModels(textDocument.uri, 'hover', null, (readings, file) => modelsHover(readings, file, position)),
    );
    connection.onReferences(async ({ textDocument, position, context }) => {
      const found = await this.withProject(textDocument.uri, 'references', [], (project, file) =>
        references(project, file, position, context.includeDeclaration),
      );
      if (found.length > 0) return found;
      return this.inModels(textDocument.uri, 'references', [], (readings, file) =>
        modelsReferences(readings, file, position, context.includeDeclaration),
      );
    });
    connection.onDocumentSymbol(async ({ textDocument }) =>
      this.withProject(textDocument.uri, 'documentSymbol', [], (project, file) => documentSymbols(project, file)),
    );
    connection.onWorkspaceSymbol(async ({ query }) => {
      await this.loading;
      return this.safely('workspaceSymbol', () => workspaceSymbols(this.projects(), query), []);
    });
    connection.onCodeAction(async (params) => {
      const published = await publishedOn(this, params.textDocument.uri).catch(() => undefined);
      return [
        ...this.safely(
          'codeAction',
          () => [
            ...codeActions(
              params,
              appliedAliases(this, params.textDocument.uri),
              (edits) => acceptHarmlessQuickFix(this, params.textDocument.uri, edits),
              published,
            ),
            ...finishSquashActions(this, params),
          ],
          [],
        ),
        ...(await rebaseActions(this, params).catch((error: unknown) => {
          connection.console.error(`rebase code actions failed: ${error instanceof Error ? error.message : String(error)}`);
          return [];
        })),
      ];
    });
    connection.onRequest(FinishSquashReportRequest, async ({ file }) => {
      await this.loading;
      return { report: finishSquashReport(this, file) };
    });
    // A refused rename answers with an error whose message says why, which the editor shows.
    connection.onPrepareRename(async ({ textDocument, position }) => {
      await this.loading;
      const file = uriToPath(textDocument.uri);
      const project = file && this.projectOf(file);
      return project ? prepareRename(this, project, file, position) : null;
    });
    connection.onRenameRequest(async ({ textDocument, position, newName }) => {
      await this.loading;
      const file = uriToPath(textDocument.uri);
      const project = file && this.projectOf(file);
      return project
        ? rename(this, project, file, position, newName, (rows) => this.undoneRenames.remember(project.project.root, rows))
        : null;
    });
    connection.onCodeLens(async ({ textDocument }) => {
      await this.loading;
      const file = uriToPath(textDocument.uri);
      const project = file && this.projectOf(file);
      if (!project) return [];
      return codeLenses(this, project, file).catch((error: unknown) => {
        this.connection.console.error(`codeLens failed: ${describeError(error)}`);
        return [];
      });
    });
    registerCustomRequests(this);
  }

  whenLoaded(): Promise<void> {
    return this.loading;
  }

  projects(): readonly MigrationProject[] {
    return this.workspace.projects();
  }

  openText(file: string): string | undefined {
    return this.documents
      .all()
      .find((document) => uriToPath(document.uri) === file)
      ?.getText();
  }

  onDidLoad(listener: () => void): void {
    this.loadListeners.push(listener);
  }

  onDidChangeWatchedFiles(listener: (changes: readonly FileEvent[]) => void): void {
    this.fileListeners.push(listener);
  }

  refreshCodeLenses(): void {
    this.connection.sendRequest(CodeLensRefreshRequest.type).catch(() => undefined);
  }

  listen(): void {
    this.connection.listen();
  }

  private initialize(params: InitializeParams): InitializeResult {
    this.options = { trusted: false, ...(params.initializationOptions as InitializationOptions | undefined) };
    const folders = params.workspaceFolders?.map((folder) => folder.uri) ?? (params.rootUri ? [params.rootUri] : []);
    this.folders = folders.map(uriToPath).filter((folder): folder is string => folder !== undefined);
    return {
      capabilities: {
        textDocumentSync: TextDocumentSyncKind.Incremental,
        diagnosticProvider: { interFileDependencies: true, workspaceDiagnostics: true },
        definitionProvider: true,
        hoverProvider: true,
        referencesProvider: true,
        documentSymbolProvider: true,
        workspaceSymbolProvider: true,
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix, CodeActionKind.RefactorRewrite] },
        renameProvider: { prepareProvider: true },
        codeLensProvider: { resolveProvider: false },
      },
      serverInfo: { name: 'Django Migrations' },
    };
  }

  /** (Re)discovers and indexes every project of every workspace folder. */
  private reload(): Promise<void> {
    this.loading = this.loading.then(async () => {
      // This index reads the caches again and parses what they miss: the writes still waiting are its to make.
      this.cacheWrites.length = 0;
      const progress = await this.connection.window.createWorkDoneProgress().catch(() => undefined);
      progress?.begin('Django Migrations', undefined, 'Indexing migrations');
      try {
        await this.workspace.index(
          this.folders,
          {
            trusted: this.options.trusted,
            pythonPath: this.options.pythonPath,
            settingsModule: this.options.settingsModule,
            djangoVersion: parseDjangoVersion(this.options.djangoVersion),
            cacheDirectory: this.options.storagePath,
            onScanLimit: (message) => void this.connection.window.showWarningMessage(message),
            onDiscovered: (projects) => {
              this.discovering?.push(...projects);
              this.markDiscovered();
            },
            keepParseCache: (save) => this.cacheWrites.push(save),
          },
          (folder, error) => this.connection.console.error(`Could not index ${folder}: ${describeError(error)}`),
        );
        for (const project of this.projects()) project.expectEdits();
        // Disk was read; what the editor holds unsaved wins.
        for (const document of this.documents.all()) {
          const file = uriToPath(document.uri);
          const project = file && this.projectOf(file);
          if (project) this.whenParsed(project.updateSource(file, document.getText(), this.workspace.editedText));
        }
        let count = 0;
        for (const project of this.projects()) count += (await project.analyseInSteps()).loaded.diskMigrations.size;
        this.connection.console.info(`Indexed ${count} migrations in ${this.projects().length} Django project(s).`);
      } finally {
        this.discovering = undefined;
        this.markDiscovered();
        progress?.done();
      }
      for (const listener of this.loadListeners) this.safely('load listener', listener, undefined);
      this.refreshDiagnostics(0);
      this.refreshCodeLenses();
      clearTimeout(this.cacheWriteTimer);
      this.cacheWriteTimer = setTimeout(() => void this.writeCaches(), CACHE_WRITE_DELAY_MS);
    });
    return this.loading;
  }

  private writeCaches(): Promise<unknown> {
    clearTimeout(this.cacheWriteTimer);
    const saves = this.cacheWrites.splice(0);
    this.cacheWriting = this.cacheWriting.then(() => Promise.all(saves.map((save) => save())));
    return this.cacheWriting;
  }

  /**
   * While the first index reads a large project, an open migration's own problems (what the
   * per-file checks find in the editor's text) are answered first; the refresh that ends the
   * index brings the rest (the graph's, the lint rules'). A later index keeps the last answers.
   */
  private async earlyDiagnostics(uri: string): Promise<Diagnostic[] | undefined> {
    if (!this.discovering) return undefined;
    await this.discoveredOnce;
    const file = uriToPath(uri);
    const document = this.documents.get(uri);
    if (!file || !document || !this.discovering) return undefined;
    for (const project of this.discovering) {
      const problems = this.safely('diagnostics', () => project.previewProblems(file, document.getText()), undefined);
      if (problems) return problems.map(toDiagnostic);
    }
    return undefined;
  }

  private scheduleReload(): void {
    clearTimeout(this.reloadTimer);
    this.reloadTimer = setTimeout(() => void this.reload(), RELOAD_DELAY_MS);
  }

  /** Other files' diagnostics can change with this one (conflicts, cycles): ask the client to pull again. */
  refreshDiagnostics(delay = REFRESH_DELAY_MS): void {
    clearTimeout(this.refreshTimer);
    this.refreshTimer = setTimeout(() => {
      this.workspaceDiagnostics.changed();
      void Promise.resolve(this.connection.languages.diagnostics.refresh()).catch(() => undefined);
    }, delay);
  }

  private onEdit(document: TextDocument): void {
    const file = uriToPath(document.uri);
    const project = file && this.projectOf(file);
    if (!project) {
      if (file && this.safely('models edit', () => this.modelsDiagnostics.update(file, document.getText()), false))
        this.refreshDiagnostics();
      return;
    }
    this.safely('edit', () => this.whenParsed(project.updateSource(file, document.getText(), this.workspace.editedText)), undefined);
    this.refreshDiagnostics();
  }

  /** A parse that went to a worker thread: its diagnostics are pulled again once it is taken. */
  private whenParsed(updated: boolean | Promise<boolean>): void {
    if (!(updated instanceof Promise)) return;
    updated.then(
      (taken) => {
        if (!taken) return;
        this.refreshDiagnostics();
        this.refreshCodeLenses();
      },
      (error: unknown) => this.connection.console.error(`edit failed: ${describeError(error)}`),
    );
  }

  /** Closing without saving drops the editor's text: the file on disk counts again. */
  private onClose(document: TextDocument): void {
    const file = uriToPath(document.uri);
    if (file) this.workspace.editedText.cancel(undefined, file);
    const project = file && this.projectOf(file);
    if (project) this.rereadFromDisk(project, file);
    else if (file) this.safely('models close', () => this.modelsDiagnostics.reread(file), undefined);
  }

  /**
   * A migration's text from disk. Read at once (one small file), so that the next request
   * already sees it.
   */
  private rereadFromDisk(project: MigrationProject, file: string): void {
    let bytes: Uint8Array;
    try {
      bytes = readFileSync(file);
    } catch {
      return; // Deleted meanwhile: the watcher's Deleted event reloads the project.
    }
    const updated = project.updateSource(file, decodeSource(bytes), this.workspace.editedText);
    if (updated === true) this.refreshDiagnostics();
    else this.whenParsed(updated);
  }

  private onFilesChanged({ changes }: DidChangeWatchedFilesParams): void {
    for (const listener of this.fileListeners) this.safely('file listener', () => listener(changes), undefined);
    let changedMigrations = false;
    for (const change of changes) {
      const file = uriToPath(change.uri);
      if (!file) continue;
      const base = file.slice(file.lastIndexOf('/') + 1);
      const project = this.projectOf(file);
      if (project && change.type === 2 /* Changed */) {
        if (this.documents.get(change.uri)) continue; // The editor's text wins while it is open.
        this.rereadFromDisk(project, file);
        changedMigrations = true;
      } else if (file.includes('/migrations/') || PROJECT_FILES.has(base) || file.includes('/settings')) {
        this.scheduleReload();
        return;
      }
    }
    if (changedMigrations) this.refreshDiagnostics();
  }

  projectOf(file: string): MigrationProject | undefined {
    return this.projects().find((project) => project.hasMigration(file));
  }

  private async withProject<T>(
    uri: string,
    feature: string,
    fallback: T,
    handler: (project: MigrationProject, file: string) => T,
  ): Promise<T> {
    await this.loading;
    const file = uriToPath(uri);
    const project = file && this.projectOf(file);
    if (!project) return fallback;
    return this.safely(feature, () => handler(project, file), fallback);
  }

  /** A feature in a models module, with every project's models as read now. */
  private async inModels<T>(
    uri: string,
    feature: string,
    fallback: T,
    handler: (readings: ProjectReading[], file: string) => T,
  ): Promise<T> {
    await this.modelsDiagnostics.whenLoaded();
    const file = uriToPath(uri);
    if (!file || !this.modelsDiagnostics.isModelsFile(file)) return fallback;
    return this.safely(feature, () => handler(this.modelsDiagnostics.readings(), file), fallback);
  }

  /** A failing feature logs and answers empty: one bad file never takes the server down. */
  private safely<T>(feature: string, run: () => T, fallback: T): T {
    try {
      return run();
    } catch (error) {
      this.connection.console.error(`${feature} failed: ${describeError(error)}`);
      return fallback;
    }
  }
}

function describeError(error: unknown): string {
  return error instanceof Error ? (error.stack ?? error.message) : String(error);
}
