import { runChecks } from '../core/checks';
import { buildGraph, LoaderResult } from '../core/loader';
import { Migration, MigrationKey, ParsedMigration } from '../core/migration';
import { Problem } from '../core/problem';
import { FILE_START } from '../core/sourceRange';
import { parseMigration } from '../python/migrationParser';
import { PythonParser } from '../python/pythonParser';
import { DjangoApp, DjangoProject } from './djangoProject';
import { ProjectFileSystem } from './fileSystem';
import { readMigrationPackage } from './migrationModules';
import { decodeSource } from './sourceText';

interface MigrationSource {
  readonly app: DjangoApp;
  readonly name: string;
  readonly path: string;
  text: string;
  invalidUtf8: boolean;
  parsed: ParsedMigration;
}

export interface ProjectAnalysis {
  readonly loaded: LoaderResult;
  readonly problems: readonly Problem[];
  /** Problems by absolute file path. */
  readonly problemsByFile: ReadonlyMap<string, Problem[]>;
}

/**
 * The migrations of one Django project: every migration file read and parsed once, re-parsed one
 * at a time as the user types, and analysed (graph, checks) on demand.
 */
export class MigrationProject {
  private readonly sources = new Map<string, MigrationSource>();
  private readonly unmigratedApps = new Set<string>();
  private applied: ReadonlyMap<MigrationKey, string | null> = new Map();
  private analysis: ProjectAnalysis | undefined;

  constructor(
    readonly project: DjangoProject,
    private readonly parser: PythonParser,
    private readonly fileSystem: ProjectFileSystem,
  ) {}

  /** Reads and parses every migration file of every app. */
  async load(): Promise<void> {
    this.sources.clear();
    this.unmigratedApps.clear();
    const packages = await Promise.all(
      this.project.apps.map(async (app) => ({
        app,
        contents: app.migrationsDirectory ? await readMigrationPackage(this.fileSystem, app.migrationsDirectory) : undefined,
      })),
    );
    const reads: Promise<void>[] = [];
    for (const { app, contents } of packages) {
      if (!contents || contents.kind !== 'package') {
        this.unmigratedApps.add(app.label);
        continue;
      }
      for (const file of contents.files) {
        reads.push(
          this.fileSystem.readFile(file.path).then((bytes) => {
            const { text, invalidUtf8 } = decodeSource(bytes ?? new Uint8Array());
            this.sources.set(file.path, { app, name: file.name, path: file.path, text, invalidUtf8, parsed: parseMigration(this.parser, text) });
          }),
        );
      }
    }
    await Promise.all(reads);
    this.analysis = undefined;
  }

  /** True when the file is one of this project's migration files. */
  hasMigration(file: string): boolean {
    return this.sources.has(file);
  }

  migrationAt(file: string): Migration | undefined {
    const source = this.sources.get(file);
    return source && { appLabel: source.app.label, name: source.name, path: source.path, parsed: source.parsed };
  }

  /** The editor's text of a migration file, typed or saved. Returns false when it is not ours. */
  updateSource(file: string, text: string): boolean {
    const source = this.sources.get(file);
    if (!source) return false;
    if (source.text === text) return true;
    source.text = text;
    source.invalidUtf8 = false;
    source.parsed = parseMigration(this.parser, text);
    this.analysis = undefined;
    return true;
  }

  setApplied(applied: ReadonlyMap<MigrationKey, string | null>): void {
    this.applied = applied;
    this.analysis = undefined;
  }

  /** The loader's graph and every problem, recomputed only after a change. */
  analyse(): ProjectAnalysis {
    if (this.analysis) return this.analysis;
    const loaded = this.buildGraph(true);
    const problems = [...this.project.problems, ...runChecks(loaded), ...this.encodingProblems()];
    const problemsByFile = new Map<string, Problem[]>();
    for (const problem of problems) {
      const list = problemsByFile.get(problem.file);
      if (list) list.push(problem);
      else problemsByFile.set(problem.file, [problem]);
    }
    this.analysis = { loaded, problems, problemsByFile };
    return this.analysis;
  }

  /** Django's loader on our migrations; `replaceMigrations: false` keeps squashes beside what they replace. */
  buildGraph(replaceMigrations: boolean, applied = this.applied): LoaderResult {
    const migrated = new Set<string>();
    for (const source of this.sources.values()) migrated.add(source.app.label);
    return buildGraph({
      migrations: this.orderedMigrations(),
      migratedApps: migrated,
      unmigratedApps: this.unmigratedApps,
      externalApps: this.project.externalApps,
      applied,
      swappableSettings: this.project.swappableSettings,
      replaceMigrations,
    });
  }

  /** Migrations in INSTALLED_APPS order, then by name: Django's disk order, made repeatable. */
  private *orderedMigrations(): Iterable<Migration> {
    const order = new Map(this.project.apps.map((app, index) => [app.label, index]));
    const sorted = [...this.sources.values()].sort(
      (a, b) => order.get(a.app.label)! - order.get(b.app.label)! || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0),
    );
    for (const source of sorted) {
      yield { appLabel: source.app.label, name: source.name, path: source.path, parsed: source.parsed };
    }
  }

  private encodingProblems(): Problem[] {
    return [...this.sources.values()]
      .filter((source) => source.invalidUtf8)
      .map((source) => ({
        code: 'syntax-error' as const,
        severity: 'error' as const,
        message: 'This file is not valid UTF-8: Python (and so Django) cannot import it. Invalid bytes are shown as \uFFFD.',
        file: source.path,
        range: FILE_START,
      }));
  }
}
