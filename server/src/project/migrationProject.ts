import * as path from 'node:path';
import { DjangoVersion, NEWEST_LTS } from '../core/djangoVersion';
import { GraphProblems } from '../core/checks/graphProblems';
import { runMigrationChecks } from '../core/checks/index';
import { DependencyContext, prepareDependencyEdits, replaceMigrationDependencies } from '../core/dependencyEdit';
import { modelImportInDataMigration } from '../core/checks/modelImportInDataMigration';
import { buildGraph, LoaderResult, replaceAppliedMigrations, replaceMigrationSource } from '../core/loader';
import { Migration, MigrationKey, migrationKey, ParsedMigration } from '../core/migration';
import { OverlayMap } from '../core/overlayMap';
import { MigrationStates } from '../core/migrationStates';
import { Problem } from '../core/problem';
import { FILE_START } from '../core/sourceRange';
import { LintSource } from '../python/lintSourceReader';
import { parseMigration } from '../python/migrationParser';
import { PythonParser } from '../python/pythonParser';
import { StaticSettings } from '../python/settingsParser';
import { DjangoApp, DjangoProject } from './djangoProject';
import { EditedTextParser, MAIN_THREAD_SLICE_MS } from './editedTextParser';
import { EDITED_TEXT_READERS, MigrationReading } from './editedTextReaders';
import { ProjectFileSystem } from './fileSystem';
import { migrationModuleName, readMigrationPackage } from './migrationModules';
import { ModelClassResolver } from './modelClasses';
import { ModuleFinder } from './moduleFinder';
import { loadMigrationFiles } from './parallelParse';
import { ParseCache } from './parseCache';
import { AppMigrationModule, sourceFingerprint } from './parsedMigrationFile';
import { parseTimeLimitProblem } from './parseTimeLimitProblem';
import { SourceText } from './sourceText';

interface MigrationSource {
  readonly app: DjangoApp;
  readonly name: string;
  readonly path: string;
  fingerprint: string;
  invalidUtf8: boolean;
  parsed: ParsedMigration;
  /**
   * The decoded text `parsed` was read from, when it was at hand (the load's own reads, every
   * edit); not for a file read by a worker or taken from the parse cache.
   */
  text: string | undefined;
  /** What the lint rules read of `text`, when the load's fast reader read it with the rest. */
  lintSource: LintSource | undefined;
  /** Set when the parse ran past the time limit: this warning is all that is said of the file. */
  overTimeLimit?: Problem;
  /** A later text being parsed on a worker thread; `parsed` is the last reading until it is done. */
  pending?: { readonly fingerprint: string; readonly invalidUtf8: boolean };
}

export interface ProjectAnalysis {
  readonly loaded: LoaderResult;
  readonly problems: readonly Problem[];
  /** Problems by absolute file path. */
  readonly problemsByFile: ReadonlyMap<string, Problem[]>;
}

interface LastAnalysis {
  readonly graphProblems: GraphProblems;
  /** The problems of the project and its migrations packages, by file. */
  readonly projectByFile: ReadonlyMap<string, Problem[]>;
  /** The problems of the project, its migrations packages and its graph, by file. */
  readonly fixedByFile: ReadonlyMap<string, Problem[]>;
  /** Each migration's own problems, all in its own file, in the order of `sources`. */
  readonly ownByFile: ReadonlyMap<string, readonly Problem[]>;
  readonly problemsByFile: ReadonlyMap<string, Problem[]>;
  /** The migrations whose RunPython functions import something. */
  readonly dataMigrations: ReadonlySet<string>;
}

/**
 * The migrations of one Django project: every migration file read and parsed once, re-parsed one
 * at a time as the user types, and analysed (graph, checks) on demand.
 */
export class MigrationProject {
  private readonly sources = new Map<string, MigrationSource>();
  /** `sources` in Django's disk order, kept while the set of files stays (edits change a source in place). */
  private ordered: MigrationSource[] | undefined;
  private readonly unmigratedApps = new Set<string>();
  /** What Django's loader would fail on in the migrations packages themselves. */
  private packageProblems: Problem[] = [];
  private applied: ReadonlyMap<MigrationKey, string | null> = new Map();
  private analysis: ProjectAnalysis | undefined;
  /** The last graph, kept so an edit that leaves the graph as it was does not rebuild it. */
  private loaded: LoaderResult | undefined;
  /**
   * What the graph checks found on `loaded`; carried over to the loader result of an edit that
   * left the graph and every range the graph checks report at as they were.
   */
  private graphProblems: { loaded: LoaderResult; problems: GraphProblems } | undefined;
  /** What the loader reads besides the migrations, while the set of migration files stays. */
  private context: DependencyContext | undefined;
  /** States before and after each migration, for the loader result they were made from. */
  private states: { loaded: LoaderResult; states: MigrationStates } | undefined;
  /** Results of the per-file checks, by file, until that file changes. */
  private readonly migrationProblems = new Map<string, readonly Problem[]>();
  /** What the last analysis was made of, and the files edited since: what the next one redoes. */
  private lastAnalysis: LastAnalysis | undefined;
  private readonly editedFiles = new Set<string>();
  private editsExpected = false;
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
    this.ordered = undefined;
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
    checked.forEach(({ path, fingerprint, invalidUtf8, parsed, problems, text, lintSource }, index) => {
      const overTimeLimit = problems.find((problem) => problem.code === 'parse-time-limit');
      const app = apps.get(modules[index].app)!;
      const name = modules[index].name;
      this.sources.set(path, { app, name, path, fingerprint, invalidUtf8, parsed, text, lintSource, overTimeLimit });
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
      this.editedFiles.add(file);
    } else {
      this.loaded = undefined;
      this.context = undefined;
      this.lastAnalysis = undefined;
      this.migrationProblems.clear();
    }
  }

  /**
   * What the per-file checks find in `text`, the editor's text of a file of one of this
   * project's migrations packages, before the project is loaded: what an open editor shows first
   * while the rest of a large project is read. Undefined when the file is no migration module of
   * the project, or its parse needs more than a slice of the thread.
   */
  previewProblems(file: string, text: string): readonly Problem[] | undefined {
    const app = this.project.apps.find((candidate) => candidate.migrationsDirectory === path.dirname(file));
    const name = migrationModuleName(path.basename(file));
    if (!app || name === undefined) return undefined;
    const reading = EDITED_TEXT_READERS.migration.read(this.parser.withTimeLimit(MAIN_THREAD_SLICE_MS), text);
    if (!('parsed' in reading)) return undefined;
    return runMigrationChecks({ appLabel: app.label, name, path: file, parsed: reading.parsed });
  }

  /** True when the file is one of this project's migration files. */
  hasMigration(file: string): boolean {
    return this.sources.has(file);
  }

  /** True when the file's last text was read within the time limit, and no later text is being parsed. */
  readInTime(file: string): boolean {
    const source = this.sources.get(file);
    return source !== undefined && !source.overTimeLimit && !source.pending;
  }

  /**
   * The text of the file's current reading, when it was kept: the lint rules read the text the
   * migration was parsed from without reading the file again.
   */
  sourceText(file: string): string | undefined {
    const source = this.sources.get(file);
    return source && !source.pending ? source.text : undefined;
  }

  /** What the lint rules read of `sourceText(file)`, when the load read it with the rest. */
  keptLintSource(file: string): LintSource | undefined {
    const source = this.sources.get(file);
    return source && !source.pending ? source.lintSource : undefined;
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
   * decoded (`decodeSource`). Returns false when the file is not ours. With `edited`, a parse
   * that needs more than a slice of this thread runs on a worker: the file keeps its last reading
   * meanwhile, and the promise returned says whether the new one was taken (false when a newer
   * text came first).
   */
  updateSource(file: string, current: string | SourceText): boolean;
  updateSource(file: string, current: string | SourceText, edited: EditedTextParser): boolean | Promise<boolean>;
  updateSource(file: string, current: string | SourceText, edited?: EditedTextParser): boolean | Promise<boolean> {
    const source = this.sources.get(file);
    if (!source) return false;
    const decoded = typeof current === 'string' ? undefined : current;
    const text = decoded?.text ?? (current as string);
    const invalidUtf8 = decoded?.invalidUtf8 ?? false;
    const fingerprint = sourceFingerprint(text);
    if (source.fingerprint === fingerprint && source.invalidUtf8 === invalidUtf8) {
      // Back to the text read last: a slower parse of a later text is of no use any more.
      if (source.pending) edited?.cancel('migration', file);
      source.pending = undefined;
      return true;
    }
    const reading = edited
      ? edited.read('migration', this.parser, file, text, decoded)
      : EDITED_TEXT_READERS.migration.read(this.parser, text, decoded);
    if (!(reading instanceof Promise)) {
      source.pending = undefined;
      this.takeReading(source, text, fingerprint, invalidUtf8, reading);
      return true;
    }
    const pending = (source.pending = { fingerprint, invalidUtf8 });
    return reading.then((read) => {
      if (!read || source.pending !== pending || this.sources.get(file) !== source) return false;
      source.pending = undefined;
      this.takeReading(source, text, fingerprint, invalidUtf8, read);
      return true;
    });
  }

  private takeReading(source: MigrationSource, text: string, fingerprint: string, invalidUtf8: boolean, reading: MigrationReading): void {
    const file = source.path;
    source.text = text;
    source.lintSource = undefined;
    source.fingerprint = fingerprint;
    source.invalidUtf8 = invalidUtf8;
    const wasOverTimeLimit = source.overTimeLimit !== undefined;
    const previous = source.parsed;
    if ('parsed' in reading) {
      source.parsed = reading.parsed;
      source.overTimeLimit = undefined;
    } else {
      source.parsed = parseMigration(this.parser, '');
      source.overTimeLimit = parseTimeLimitProblem(file, reading.overTimeLimit, 'this file was not analysed.');
    }
    this.invalidate(file);
    // A new import is resolved in the background: its verdict counts from the next analysis.
    void this.resolveModelImports(source).then(
      (learned) => learned && this.invalidate(file),
      () => undefined,
    );
    // A file entering or leaving the graph (its parse past the time limit or back within it) rebuilds it.
    if (wasOverTimeLimit || source.overTimeLimit) {
      this.loaded = undefined;
      this.context = undefined;
    } else if (this.loaded) {
      const migration = this.migrationOf(source);
      const checked = this.graphProblems?.loaded === this.loaded ? this.graphProblems.problems : undefined;
      const replaced = replaceMigrationSource(this.loaded, migration);
      if (replaced) {
        if (checked && graphCheckRanges(previous) === graphCheckRanges(source.parsed))
          this.graphProblems = { loaded: replaced, problems: checked };
        this.loaded = replaced;
      } else {
        // A changed dependency moves that migration's edges, when that gives what a rebuild would.
        const edit = replaceMigrationDependencies(this.loaded, migration, this.dependencyContext());
        if (edit && checked) this.graphProblems = { loaded: edit.loaded, problems: checked.afterEdit(edit) };
        this.loaded = edit?.loaded;
      }
    }
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

  /** The loader's graph as with no database (nothing applied): the one above when nothing is. */
  unappliedLoaderResult(): LoaderResult {
    return this.applied.size === 0 ? this.loaderResult() : this.buildGraph(true, new Map());
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

  /**
   * The loader's graph and every problem, recomputed only after a change: only the files edited
   * since the last analysis are checked again, and those whose graph problems a dependency edit changed.
   */
  analyse(): ProjectAnalysis {
    if (this.analysis) return this.analysis;
    const loaded = this.loaderResult();
    const graphProblems = this.graphProblemsOf(loaded);
    this.analysis = this.analyseEdited(loaded) ?? this.analyseAll(loaded);
    this.editedFiles.clear();
    graphProblems.settle();
    return this.analysis;
  }

  /**
   * `analyse()` a step at a time, the server's thread given back between them: on 20,000
   * migrations the graph, its checks and the per-file checks take about 300 ms together, the
   * graph alone 200. Each step does what the project holds when it runs, so an edit between them
   * is taken in; what a request asks meanwhile, `analyse()` finishes on the spot.
   */
  async analyseInSteps(): Promise<ProjectAnalysis> {
    const steps = [() => this.loaderResult(), () => this.graphProblemsOf(this.loaderResult())];
    for (const step of steps) {
      if (this.analysis) return this.analysis;
      step();
      await new Promise(setImmediate);
    }
    return this.analyse();
  }

  /**
   * Edits are to come (the editor's): after each graph built afresh, what a dependency edit
   * consults about the rest of the project is made in the background, so that the first edit
   * takes only its own time. A command line run edits nothing and makes none of it.
   */
  expectEdits(): void {
    this.editsExpected = true;
  }

  private graphProblemsOf(loaded: LoaderResult): GraphProblems {
    if (this.graphProblems?.loaded !== loaded) {
      this.graphProblems = { loaded, problems: GraphProblems.of(loaded) };
      if (this.editsExpected) {
        setImmediate(() => {
          if (this.loaded === loaded) prepareDependencyEdits(loaded, this.dependencyContext());
        });
      }
    }
    return this.graphProblems.problems;
  }

  private analyseAll(loaded: LoaderResult): ProjectAnalysis {
    const graphProblems = this.graphProblems!.problems;
    const fixed = [...this.project.problems, ...this.packageProblems, ...graphProblems.problems];
    const ownByFile = new Map<string, readonly Problem[]>();
    const dataMigrations = new Set<string>();
    let local = true;
    for (const source of this.sources.values()) {
      const own = this.ownProblems(source);
      ownByFile.set(source.path, own);
      local &&= own.every((problem) => problem.file === source.path);
      if (source.parsed.runPythonImports.length > 0) dataMigrations.add(source.path);
    }
    const problems = [...fixed, ...[...ownByFile.values()].flat()];
    const problemsByFile = groupByFile(problems);
    this.lastAnalysis = local
      ? {
          graphProblems,
          projectByFile: groupByFile([...this.project.problems, ...this.packageProblems]),
          fixedByFile: groupByFile(fixed),
          ownByFile,
          problemsByFile,
          dataMigrations,
        }
      : undefined;
    return { loaded, problems, problemsByFile };
  }

  /**
   * The last analysis with the edited files' problems made anew, and the graph problems of the
   * files a dependency edit changed them in; undefined when that is not enough (the graph
   * problems were made afresh, or a file's problems fall in another file).
   */
  private analyseEdited(loaded: LoaderResult): ProjectAnalysis | undefined {
    const last = this.lastAnalysis;
    const graphProblems = this.graphProblems!.problems;
    if (!last) return undefined;
    const graphFiles = new Set<string>();
    for (let step = graphProblems; step !== last.graphProblems; step = step.edited.from) {
      if (!step.edited) return undefined;
      for (const file of step.edited.files) graphFiles.add(file);
    }
    // What the models of data migrations import is learned in the background, for any of them.
    const edited = new Set([...this.editedFiles, ...last.dataMigrations, ...graphFiles]);
    const dataMigrations = new Set(last.dataMigrations);
    let ownByFile: ReadonlyMap<string, readonly Problem[]> = last.ownByFile;
    const fixedByFile = graphFiles.size > 0 ? new Map(last.fixedByFile) : last.fixedByFile;
    const problemsByFile = new Map(last.problemsByFile);
    for (const file of edited) {
      const source = this.sources.get(file);
      if (!source) return undefined;
      const own = this.ownProblems(source);
      if (own.some((problem) => problem.file !== file)) return undefined;
      if (source.parsed.runPythonImports.length > 0) dataMigrations.add(file);
      else dataMigrations.delete(file);
      ownByFile = OverlayMap.replace(ownByFile, file, own);
      if (graphFiles.has(file)) {
        const fixed = [...(last.projectByFile.get(file) ?? []), ...graphProblems.inFile(file, migrationKey(source.app.label, source.name))];
        if (fixed.length > 0) (fixedByFile as Map<string, Problem[]>).set(file, fixed);
        else (fixedByFile as Map<string, Problem[]>).delete(file);
      }
      const found = [...(fixedByFile.get(file) ?? []), ...own];
      if (found.length > 0) problemsByFile.set(file, found);
      else problemsByFile.delete(file);
    }
    this.lastAnalysis = { ...last, graphProblems, fixedByFile, ownByFile, problemsByFile, dataMigrations };
    const projectProblems = [...this.project.problems, ...this.packageProblems];
    let problems: readonly Problem[] | undefined;
    return {
      loaded,
      problemsByFile,
      get problems() {
        return (problems ??= [...projectProblems, ...graphProblems.problems, ...[...ownByFile.values()].flat()]);
      },
    };
  }

  /** The per-file checks of a migration, and what its data migrations import. */
  private ownProblems(source: MigrationSource): readonly Problem[] {
    if (source.overTimeLimit) return [source.overTimeLimit];
    let found = this.migrationProblems.get(source.path);
    if (!found) {
      found = runMigrationChecks(this.migrationOf(source));
      this.migrationProblems.set(source.path, found);
    }
    if (source.parsed.runPythonImports.length === 0) return found;
    const fromPackage = source.app.migrationsModule ?? `${source.app.name}.migrations`;
    return [
      ...found,
      ...modelImportInDataMigration(this.migrationOf(source), (module, name) => this.modelClasses.known(module, name, fromPackage)),
    ];
  }

  /** Django's loader on our migrations; `replaceMigrations: false` keeps squashes beside what they replace. */
  buildGraph(replaceMigrations: boolean, applied = this.applied): LoaderResult {
    return buildGraph({ ...this.dependencyContext(), migrations: this.orderedMigrations(), applied, replaceMigrations });
  }

  private dependencyContext(): DependencyContext {
    if (this.context) return this.context;
    const migrated = new Set<string>();
    for (const source of this.sources.values()) migrated.add(source.app.label);
    return (this.context = {
      migratedApps: migrated,
      unmigratedApps: this.unmigratedApps,
      externalApps: this.project.externalApps,
      swappableSettings: this.project.swappableSettings,
      unreadMigrations: new Set([...this.sources.values()].filter((s) => s.overTimeLimit).map((s) => migrationKey(s.app.label, s.name))),
    });
  }

  /** Migrations in INSTALLED_APPS order, then by name: Django's disk order, made repeatable. */
  private *orderedMigrations(): Iterable<Migration> {
    if (!this.ordered) {
      const order = new Map(this.project.apps.map((app, index) => [app.label, index]));
      this.ordered = [...this.sources.values()].sort(
        (a, b) => order.get(a.app.label)! - order.get(b.app.label)! || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0),
      );
    }
    for (const source of this.ordered) if (!source.overTimeLimit) yield this.migrationOf(source);
  }
}

function groupByFile(problems: readonly Problem[]): Map<string, Problem[]> {
  const byFile = new Map<string, Problem[]>();
  for (const problem of problems) {
    const list = byFile.get(problem.file);
    if (list) list.push(problem);
    else byFile.set(problem.file, [problem]);
  }
  return byFile;
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

/**
 * Where the graph checks report on a migration (its class name, its `replaces`, each dependency,
 * `run_before` and `replaces` entry), as one comparable string: an edit that keeps it and the
 * graph keeps every graph problem as it was.
 */
function graphCheckRanges(parsed: ParsedMigration): string {
  const entries = (list: readonly { range: unknown; appRange?: unknown; nameRange?: unknown }[]) =>
    list.map((entry) => [entry.range, entry.appRange, entry.nameRange]);
  return JSON.stringify([
    parsed.classNameRange,
    parsed.attributeRanges.replaces,
    entries(parsed.dependencies),
    entries(parsed.runBefore),
    entries(parsed.replaces),
  ]);
}
