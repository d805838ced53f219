import { readFileSync } from 'node:fs';
import { FileEvent } from 'vscode-languageserver/node';
import { Problem } from '../core/problem';
import { LoaderResult } from '../core/loader';
import { pythonSysPath } from '../django/pythonSysPath';
import { nodeFileSystem } from '../project/fileSystem';
import { MigrationProject } from '../project/migrationProject';
import { MissingMigrations, MissingMigrationsDetector } from '../project/missingMigrations';
import { customFieldSignatureProblems, ProjectClassCall, projectClassCalls } from '../project/customFieldSignatures';
import { ModelsReading } from '../project/modelsResolver';
import { ProjectModels } from '../project/projectModels';
import { decodeSource } from '../project/sourceText';
import { loadPythonParser } from '../python/pythonParser';
import { ServerContext } from '../serverContext';
import { uriToPath } from './fileUri';
import { djangoConfirmedProblems, hasUnknowns, modelsProblems } from './modelsProblems';

interface ProjectEntry {
  readonly project: MigrationProject;
  readonly models: ProjectModels;
  readonly detector: MissingMigrationsDetector;
  /** Problems by file, for the graph and the models they were computed from. */
  cached?: { readonly loaded: LoaderResult; readonly problems: Map<string, Problem[]>; readonly missing: MissingMigrations };
  /** Calls in the migrations of classes that may be the project's, for the graph they were read from. */
  classCalls?: { readonly loaded: LoaderResult; readonly calls: readonly ProjectClassCall[] };
  /** What the project's Django found after the last save that the static reading did not. */
  confirmed?: Map<string, Problem[]>;
}

/**
 * Diagnostics in models modules, live as the user types: the models of every project are read
 * once after each index, each edit re-reads its one module, and the autodetector compares them
 * with the state at the leaves when the client pulls diagnostics.
 */
export class ModelsDiagnostics {
  private entries: ProjectEntry[] = [];
  private loading: Promise<void> = Promise.resolve();

  constructor(private readonly context: ServerContext) {
    context.onDidLoad(() => void this.reload());
    context.onDidChangeWatchedFiles((changes) => this.onFilesChanged(changes));
  }

  /** Resolves once the models of every project are read. */
  whenLoaded(): Promise<void> {
    return this.loading;
  }

  private reload(): Promise<void> {
    this.loading = this.loading.then(async () => {
      const parser = await loadPythonParser();
      const entries: ProjectEntry[] = [];
      for (const project of this.context.projects()) {
        // Django's own abstract models (AbstractUser) are read from the environment's Django, which
        // only a trusted workspace may ask Python to locate.
        const trusted = this.context.options.trusted && this.context.options.pythonPath;
        const libraryRoots = trusted ? ((await pythonSysPath(trusted, project.project.root).catch(() => undefined)) ?? []) : [];
        const models = new ProjectModels(project.project, parser, nodeFileSystem, libraryRoots, this.context.workspace.editedText);
        await models.load(project.settings?.files ?? []);
        const entry: ProjectEntry = { project, models, detector: new MissingMigrationsDetector(project, models) };
        for (const file of models.files()) {
          const text = this.context.openText(file);
          if (text !== undefined) this.whenParsed(entry, models.update(file, text));
        }
        entries.push(entry);
      }
      this.entries = entries;
      this.context.refreshDiagnostics();
    });
    return this.loading;
  }

  /** Whether a file is read for the models of some project. */
  isModelsFile(file: string): boolean {
    return this.entries.some((entry) => entry.models.hasFile(file));
  }

  /** Each project's models as read now, for navigation. */
  readings(): { readonly project: MigrationProject; readonly reading: ModelsReading }[] {
    return this.entries.map((entry) => ({ project: entry.project, reading: entry.models.reading() }));
  }

  readingOf(project: MigrationProject): ModelsReading | undefined {
    return this.entries.find((entry) => entry.project === project)?.models.reading();
  }

  /** The editor's text of a models module; false when the file is not one. */
  update(file: string, text: string): boolean {
    let updated = false;
    for (const entry of this.entries) {
      const result = entry.models.update(file, text);
      if (result === false) continue;
      updated = true;
      if (result === true) this.changed(entry);
      else this.whenParsed(entry, result);
    }
    return updated;
  }

  /** A module whose parse went to a worker thread: its diagnostics are pulled again once it is taken. */
  private whenParsed(entry: ProjectEntry, updated: boolean | Promise<boolean>): void {
    if (!(updated instanceof Promise)) return;
    void updated.then(
      (taken) => {
        if (!taken) return;
        this.changed(entry);
        this.context.refreshDiagnostics();
      },
      () => undefined,
    );
  }

  private changed(entry: ProjectEntry): void {
    entry.cached = undefined;
    entry.confirmed = undefined;
  }

  /** The diagnostics of one models module. */
  async problems(file: string): Promise<Problem[]> {
    await this.loading;
    const found: Problem[] = [];
    for (const entry of this.entries) {
      found.push(...(this.current(entry).problems.get(file) ?? []), ...(entry.confirmed?.get(file) ?? []));
    }
    return found;
  }

  private current(entry: ProjectEntry): NonNullable<ProjectEntry['cached']> {
    const loaded = entry.project.loaderResult();
    if (!entry.cached || entry.cached.loaded !== loaded) {
      const missing = entry.detector.detect({ includeUnmigrated: true });
      const problems = modelsProblems(entry.project, missing, this.context.options.trusted);
      if (entry.classCalls?.loaded !== loaded) entry.classCalls = { loaded, calls: projectClassCalls(loaded.diskMigrations.values()) };
      for (const problem of customFieldSignatureProblems(entry.classCalls.calls, entry.models.scope())) {
        problems.set(problem.file, [...(problems.get(problem.file) ?? []), problem]);
      }
      entry.cached = { loaded, missing, problems };
    }
    return entry.cached;
  }

  /**
   * After a save, when the static reading had unknowns, the project's own Django runs its
   * autodetector (`makemigrations --check --dry-run`): what only it can see is reported too.
   */
  private async confirmWithDjango(entry: ProjectEntry): Promise<void> {
    if (!this.context.options.trusted) return;
    const { missing } = this.current(entry);
    if (!hasUnknowns(missing)) return;
    const apps = entry.project.project.apps.filter((app) => !app.external && app.migrationsDirectory !== undefined).map((app) => app.label);
    if (apps.length === 0) return;
    const answer = await this.context.workspace.django.run({ projectRoot: entry.project.project.root }, (helper) =>
      helper.makemigrationsCheck({ apps }),
    );
    if (!answer.ok) {
      this.context.connection.console.info(`Models not confirmed with Django: ${answer.message}`);
      return;
    }
    entry.confirmed = djangoConfirmedProblems(entry.project, this.current(entry).missing, answer.changes);
    this.context.refreshDiagnostics();
  }

  /** A saved or closed models module counts from disk again, unless the editor holds it. */
  reread(file: string): void {
    if (!this.isModelsFile(file) || this.context.openText(file) !== undefined) return;
    let text: string;
    try {
      text = decodeSource(readFileSync(file)).text;
    } catch {
      return;
    }
    if (this.update(file, text)) this.context.refreshDiagnostics();
  }

  /** A models module was saved: Django confirms what the static reading could not see. */
  saved(file: string): void {
    for (const entry of this.entries) {
      if (entry.models.hasFile(file)) {
        void this.confirmWithDjango(entry).catch((error: unknown) =>
          this.context.connection.console.error(`Models not confirmed with Django: ${String(error)}`),
        );
      }
    }
  }

  private onFilesChanged(changes: readonly FileEvent[]): void {
    // Files saved while the models are being read are seen once they are.
    void this.loading.then(() => this.filesChanged(changes));
  }

  private filesChanged(changes: readonly FileEvent[]): void {
    for (const change of changes) {
      const file = uriToPath(change.uri);
      if (file && change.type === 2 /* Changed */) {
        this.reread(file);
        this.saved(file);
      }
    }
  }
}
