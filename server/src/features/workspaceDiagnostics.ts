import { CancellationToken, DocumentDiagnosticReportKind, WorkspaceDocumentDiagnosticReport } from 'vscode-languageserver/node';
import { splitMigrationKey } from '../core/migration';
import { MigrationProject } from '../project/migrationProject';
import { ServerContext } from '../serverContext';
import { pathToUri } from './fileUri';
import { extraProblems } from './problemSources';
import { toDiagnostic } from './toDiagnostic';

/**
 * The whole project's problems for the Problems panel without opening a file (LSP pull
 * workspace diagnostics): every file's analysis (conflicts, missing dependencies, cycles...), and
 * the database problems of the files the trees point at (inconsistent history, applied rows
 * without a file), so a large project is not read file by file on each pull. Files reported
 * before and clean now get an empty report, which clears them.
 */
export class WorkspaceDiagnostics {
  private reported = new Set<string>();
  /** Bumped by `changed`; a pull answered at the current generation waits for the next one. */
  private generation = 0;
  private answered = -1;
  private waiters: (() => void)[] = [];

  /** Something the diagnostics depend on changed: the waiting pull answers. */
  changed(): void {
    this.generation++;
    for (const wake of this.waiters.splice(0)) wake();
  }

  /**
   * The client pulls again as soon as a pull is answered: hold it until something changed (or it
   * is cancelled, answered with nothing new).
   */
  async pull(
    context: ServerContext,
    projects: () => readonly MigrationProject[],
    token: CancellationToken,
  ): Promise<WorkspaceDocumentDiagnosticReport[]> {
    if (this.answered === this.generation) {
      await new Promise<void>((resolve) => {
        this.waiters.push(resolve);
        token.onCancellationRequested(() => resolve());
      });
      if (token.isCancellationRequested) return [];
    }
    this.answered = this.generation;
    return this.report(context, projects());
  }

  async report(context: ServerContext, projects: readonly MigrationProject[]): Promise<WorkspaceDocumentDiagnosticReport[]> {
    const reports: WorkspaceDocumentDiagnosticReport[] = [];
    const now = new Set<string>();
    for (const project of projects) {
      const problemsByFile = project.analyse().problemsByFile;
      const files = new Set([...problemsByFile.keys(), ...databaseProblemFiles(context, project)]);
      for (const file of files) {
        const items = (problemsByFile.get(file) ?? []).map(toDiagnostic);
        if (project.migrationAt(file)) items.push(...(await extraProblems(context, project, file)).map(toDiagnostic));
        if (items.length === 0) continue;
        const uri = pathToUri(file);
        now.add(uri);
        reports.push({ kind: DocumentDiagnosticReportKind.Full, uri, version: null, items });
      }
    }
    for (const uri of this.reported) {
      if (!now.has(uri)) reports.push({ kind: DocumentDiagnosticReportKind.Full, uri, version: null, items: [] });
    }
    this.reported = now;
    return reports;
  }
}

/** Migration files where a database shows a problem: applied before a dependency, or the leaf beside applied rows without a file. */
function databaseProblemFiles(context: ServerContext, project: MigrationProject): string[] {
  const files: string[] = [];
  for (const view of context.workspace.databases.views(project)) {
    const applied = view.applied();
    if (!applied) continue;
    const { loaded } = applied;
    for (const entry of applied.history.inconsistent) {
      const file = loaded.diskMigrations.get(entry.migration)?.path;
      if (file) files.push(file);
    }
    for (const app of new Set([...applied.withoutFile].map((key) => splitMigrationKey(key)[0]))) {
      for (const leaf of loaded.graph.leafNodes(app)) {
        const file = loaded.diskMigrations.get(leaf)?.path;
        if (file) files.push(file);
      }
    }
  }
  return files;
}
