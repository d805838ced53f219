import { readFileSync } from 'node:fs';
import { FileEvent } from 'vscode-languageserver/node';
import { Problem } from '../core/problem';
import { LoaderResult } from '../core/loader';
import { pythonSysPath } from '../django/pythonSysPath';
import { nodeFileSystem } from '../project/fileSystem';
import { MigrationProject } from '../project/migrationProject';
import { MissingMigrationsDetector } from '../project/missingMigrations';
import { ProjectModels } from '../project/projectModels';
import { decodeSource } from '../project/sourceText';
import { loadPythonParser } from '../python/pythonParser';
import { ServerContext } from '../serverContext';
import { uriToPath } from './fileUri';
import { modelsProblems } from './modelsProblems';

interface ProjectEntry {
  readonly project: MigrationProject;
  readonly models: ProjectModels;
  readonly detector: MissingMigrationsDetector;
  /** Problems by file, for the graph and the models they were computed from. */
  cached?: { readonly loaded: LoaderResult; readonly problems: Map<string, Problem[]> };
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
        const models = new ProjectModels(project.project, parser, nodeFileSystem, libraryRoots);
        await models.load(project.settings?.files ?? []);
        for (const file of models.files()) {
          const text = this.context.openText(file);
          if (text !== undefined) models.update(file, text);
        }
        entries.push({ project, models, detector: new MissingMigrationsDetector(project, models) });
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

  /** The editor's text of a models module; false when the file is not one. */
  update(file: string, text: string): boolean {
    let updated = false;
    for (const entry of this.entries) {
      if (entry.models.update(file, text)) {
        entry.cached = undefined;
        updated = true;
      }
    }
    return updated;
  }

  /** The diagnostics of one models module. */
  async problems(file: string): Promise<Problem[]> {
    await this.loading;
    const found: Problem[] = [];
    for (const entry of this.entries) {
      const loaded = entry.project.loaderResult();
      if (!entry.cached || entry.cached.loaded !== loaded) {
        const missing = entry.detector.detect({ includeUnmigrated: true });
        entry.cached = { loaded, problems: modelsProblems(entry.project, missing, this.context.options.trusted) };
      }
      found.push(...(entry.cached.problems.get(file) ?? []));
    }
    return found;
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

  private onFilesChanged(changes: readonly FileEvent[]): void {
    for (const change of changes) {
      const file = uriToPath(change.uri);
      if (file && change.type === 2 /* Changed */) this.reread(file);
    }
  }
}
