import { DjangoVersion, NEWEST_LTS } from '../core/djangoVersion';
import { runGraphChecks, runMigrationChecks } from '../core/checks/index';
import { modelImportInDataMigration } from '../core/checks/modelImportInDataMigration';
import { buildGraph, LoaderResult, replaceAppliedMigrations, replaceMigrationSource } from '../core/loader';
import { Migration, MigrationKey, ParsedMigration } from '../core/migration';
import { MigrationStates } from '../core/migrationStates';
import { Problem } from '../core/problem';
import { FILE_START } from '../core/sourceRange';
import { parseMigration } from '../python/migrationParser';
import { PythonParser } from '../python/pythonParser';
import { StaticSettings } from '../python/settingsParser';
import { DjangoApp, DjangoProject } from './djangoProject';
import { ProjectFileSystem } from './fileSystem';
import { readMigrationPackage } from './migrationModules';
import { ModelClassResolver } from './modelClasses';
import { ModuleFinder } from './moduleFinder';
import { loadMigrationFiles } from './parallelParse';
import { ParseCache } from './parseCache';
import { AppMigrationModule, sourceFingerprint } from './parsedMigrationFile';
import { SourceText } from './sourceText';

interface MigrationSource {
  readonly app: DjangoApp;
  readonly name: string;
  readonly path: string;
  fingerprint: string;
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
  /** What Django's loader would fail on in the migrations packages themselves. */
  private packageProblems: Problem[] = [];
  private applied: ReadonlyMap<MigrationKey, string | null> = new Map();
  private analysis: ProjectAnalysis | undefined;
  /** The last graph, kept so an edit that leaves the graph as it was does not rebuild it. */
  private loaded: LoaderResult | undefined;
  /** States before and after each migration, for the loader result they were made from. */
  private states: { loaded: LoaderResult; states: MigrationStates } | undefined;
  /** Results of the per-file checks, by file, until that file changes. */
  private readonly migrationProblems = new Map<string, readonly Problem[]>();
  /** Reads the project's models to tell which imports of data migrations are model classes. */
  private readonly modelClasses: ModelClassResolver;

  constructor(
    readonly project: DjangoProject,
    private readonly parser: PythonParser,
    private readonly fileSystem: ProjectFileSystem,
    /** What the settings module says statically (DATABASES for the database features). */
    readonly settings?: StaticSettings,
    /** The Django release the project runs: what describe(), status markers and plans follow. */
    readonly djangoVersion: DjangoVersion = NEWEST_LTS,
    /** True when nothing said which Django the project runs, and `djangoVersion` is the newest LTS by default. */
    readonly djangoVersionAssumed = true,
  ) {
    this.modelClasses = new ModelClassResolver(new ModuleFinder(fileSystem, project.importRoots ?? [project.root]), parser, fileSystem);
  }

  /**
   * Reads, parses and checks every migration file of every app; unchanged files come from
   * `cache`, checks included, and what was parsed goes into it.
   */
  async load(cache?: ParseCache): Promise<void> {
    this.sources.clear();
    this.unmigratedApps.clear();
    this.invalidate();
    const packages = await Promise.all(
      this.project.apps.map(async (app) => ({
        app,
        contents: app.migrationsDirectory ? await readMigrationPackage(this.fileSystem, app.migrationsDirectory) : undefined,
      })),
    );
    const modules: AppMigrationModule[] = [];
    const apps = new Map<string, DjangoApp>();
    this.packageProblems = [];
    for (const { app, contents } of packages) {
      apps.set(app.label, app);
      if (contents?.kind !== 'package') this.unmigratedApps.add(app.label);
      else {
        for (const file of contents.files) modules.push({ ...file, app: app.label });
        for (const entry of contents.notFiles) this.packageProblems.push(notAFile(app, entry.name, contents.initFile));
      }
    }
    const checked = await loadMigrationFiles(modules, this.fileSystem, this.parser, cache);
    checked.forEach(({ path, fingerprint, invalidUtf8, parsed, problems }, index) => {
      this.sources.set(path, { app: apps.get(modules[index].app)!, name: modules[index].name, path, fingerprint, invalidUtf8, parsed });
      this.migrationProblems.set(path, problems);
    });
    await Promise.all([...this.sources.values()].map((source) => this.resolveModelImports(source)));
  }

  /**
   * Resolves what the RunPython functions of a migration import, so that `analyse()` can tell
   * model classes apart. Returns true when a verdict was new.
   */
  private async resolveModelImports(source: MigrationSource): Promise<boolean> {
    const fromPackage = source.app.migrationsModule ?? `${source.app.name}.migrations`;
    let learned = false;
    for (const entry of source.parsed.runPythonImports) {
      if (this.modelClasses.known(entry.module, entry.name, fromPackage) !== undefined) continue;
      await this.modelClasses.resolve(entry.module, entry.name, fromPackage);
      learned = true;
    }
    return learned;
  }

  private invalidate(file?: string): void {
    this.analysis = undefined;
    if (file) {
      this.migrationProblems.delete(file);
    } else {
      this.loaded = undefined;
      this.migrationProblems.clear();
    }
  }

  /** True when the file is one of this project's migration files. */
  hasMigration(file: string): boolean {
    return this.sources.has(file);
  }

  migrationAt(file: string): Migration | undefined {
    const source = this.sources.get(file);
    return source && this.migrationOf(source);
  }

  private migrationOf(source: MigrationSource): Migration {
    return { appLabel: source.app.label, name: source.name, path: source.path, parsed: source.parsed };
  }

  /**
   * The current text of a migration file, typed in the editor, or read again from disk and
   * decoded (`decodeSource`). Returns false when the file is not ours.
   */
  updateSource(file: string, current: string | SourceText): boolean {
    const source = this.sources.get(file);
    if (!source) return false;
    const decoded = typeof current === 'string' ? undefined : current;
    const text = decoded?.text ?? (current as string);
    const invalidUtf8 = decoded?.invalidUtf8 ?? false;
    const fingerprint = sourceFingerprint(text);
    if (source.fingerprint === fingerprint && source.invalidUtf8 === invalidUtf8) return true;
    source.fingerprint = fingerprint;
    source.invalidUtf8 = invalidUtf8;
    source.parsed = parseMigration(this.parser, text, decoded);
    this.invalidate(file);
    // A new import is resolved in the background: its verdict counts from the next analysis.
    void this.resolveModelImports(source).then(
      (learned) => learned && this.invalidate(file),
      () => undefined,
    );
    if (this.loaded) this.loaded = replaceMigrationSource(this.loaded, this.migrationOf(source));
    return true;
  }

  setApplied(applied: ReadonlyMap<MigrationKey, string | null>): void {
    this.applied = applied;
    this.analysis = undefined;
    // The graph stays unless a squash changes between partly applied and not.
    this.loaded = this.loaded && replaceAppliedMigrations(this.loaded, applied);
  }

  /** The loader's graph with the applied migrations, without the checks that `analyse()` adds. */
  loaderResult(): LoaderResult {
    return (this.loaded ??= this.buildGraph(true));
  }

  /** Django's migration state before and after each migration, made when first asked. */
  migrationStates(): MigrationStates {
    const loaded = this.loaderResult();
    // A new loader result means changed migrations, except when only applied rows changed.
    if (this.states?.loaded.diskMigrations !== loaded.diskMigrations || this.states.loaded.graph !== loaded.graph) {
      this.states = { loaded, states: new MigrationStates(loaded.graph, this.project.swappableSettings) };
    }
    return this.states.states;
  }

  /** The loader's graph and every problem, recomputed only after a change. */
  analyse(): ProjectAnalysis {
    if (this.analysis) return this.analysis;
    const loaded = this.loaderResult();
    const problems = [...this.project.problems, ...this.packageProblems, ...runGraphChecks(loaded)];
    for (const source of this.sources.values()) {
      let found = this.migrationProblems.get(source.path);
      if (!found) {
        found = runMigrationChecks(this.migrationOf(source));
        this.migrationProblems.set(source.path, found);
      }
      problems.push(...found);
      if (source.parsed.runPythonImports.length > 0) {
        const fromPackage = source.app.migrationsModule ?? `${source.app.name}.migrations`;
        problems.push(
          ...modelImportInDataMigration(this.migrationOf(source), (module, name) => this.modelClasses.known(module, name, fromPackage)),
        );
      }
    }
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
    for (const source of sorted) yield this.migrationOf(source);
  }
}

/** `0004_x.py` that is a folder or a FIFO: pkgutil lists it, and importing it fails. */
function notAFile(app: DjangoApp, name: string, initFile: string): Problem {
  return {
    code: 'unimportable-migration',
    severity: 'error',
    message:
      `${name}.py in the migrations package of app ${app.label} is not a file (a folder, a FIFO or a broken link): Django's ` +
      `loader lists it as migration ${name} and its import fails (ModuleNotFoundError: No module named '${app.migrationsModule}.${name}').`,
    file: initFile,
    range: FILE_START,
  };
}
