import { DependencyEdit } from '../dependencyEdit';
import { detectConflicts, LoaderResult } from '../loader';
import { MigrationKey } from '../migration';
import { OverlayMap } from '../overlayMap';
import { Problem } from '../problem';
import { circularDependency } from './circularDependency';
import { appConflicts, missingNodeApps } from './conflictingLeaves';
import { DependencyCheckIndex, dependencyCheckIndex, migrationDependencyProblems } from './dependencyProblems';
import { unfinishedSquash } from './unfinishedSquash';

const NONE: readonly Problem[] = [];

/**
 * What the checks of the whole graph found, kept by migration (dependency problems) and by app
 * (conflicting leaves), so that an edit of one migration's dependencies redoes only the
 * migrations and apps it changed. `problems` lists them in the checks' order: dependency
 * problems, cycles, conflicting leaves, unfinished squashes.
 */
export class GraphProblems {
  private flat: readonly Problem[] | undefined;

  private constructor(
    /** Every migration of `loaded.dependencies`, in its order. */
    private readonly dependency: ReadonlyMap<MigrationKey, readonly Problem[]>,
    private readonly index: DependencyCheckIndex,
    private readonly circular: readonly Problem[],
    /** Apps with conflicting leaves, in `detectConflicts` order (sorted). */
    private readonly conflicts: ReadonlyMap<string, readonly Problem[]>,
    private readonly unfinished: readonly Problem[],
    /** For a result made by `afterEdit`: the one it was made from, and the files whose problems changed. */
    private editedFrom?: { readonly from: GraphProblems; readonly files: ReadonlySet<string> },
  ) {}

  get edited(): { readonly from: GraphProblems; readonly files: ReadonlySet<string> } | undefined {
    return this.editedFrom;
  }

  /** Once an analysis has taken these problems in, what they were made from is of no more use (and would keep every earlier result alive). */
  settle(): void {
    this.editedFrom = undefined;
  }

  static of(loaded: LoaderResult): GraphProblems {
    const index = dependencyCheckIndex(loaded);
    const dependency = new Map<MigrationKey, readonly Problem[]>();
    for (const key of loaded.dependencies.keys()) {
      const found = migrationDependencyProblems(loaded, key, index);
      dependency.set(key, found.length > 0 ? found : NONE);
    }
    const appsWithMissingNodes = missingNodeApps(loaded);
    const conflicts = new Map<string, readonly Problem[]>();
    for (const [app, leaves] of detectConflicts(loaded.graph)) {
      const found = appConflicts(loaded, app, leaves, appsWithMissingNodes);
      if (found.length > 0) conflicts.set(app, found);
    }
    return new GraphProblems(dependency, index, circularDependency(loaded), conflicts, unfinishedSquash(loaded));
  }

  /**
   * The problems of `edit.loaded`, the result of an edit of one migration's dependencies on the
   * loader result these are the problems of: the changed migrations' dependency problems and the
   * changed apps' leaves are checked again; cycles only when there is or was one. Squashes are
   * untouched by such an edit, and so are their problems.
   */
  afterEdit(edit: DependencyEdit): GraphProblems {
    const { loaded } = edit;
    const files = new Set<string>();
    const fileOf = (key: MigrationKey) => loaded.diskMigrations.get(key)?.path;
    let dependency = this.dependency;
    for (const key of edit.changedMigrations) {
      const found = migrationDependencyProblems(loaded, key, this.index);
      dependency = OverlayMap.replace(dependency, key, found.length > 0 ? found : NONE);
      files.add(fileOf(key)!);
    }
    const circular = edit.cyclic ? circularDependency(loaded) : NONE;
    for (const problem of [...this.circular, ...circular]) files.add(problem.file);
    const conflicts = new Map(this.conflicts);
    for (const [app, leaves] of edit.changedApps) {
      for (const problem of conflicts.get(app) ?? NONE) files.add(problem.file);
      const found = appConflicts(loaded, app, leaves, edit.missingNodeApps);
      for (const problem of found) files.add(problem.file);
      if (found.length > 0) conflicts.set(app, found);
      else conflicts.delete(app);
    }
    const sorted = new Map([...conflicts].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
    return new GraphProblems(dependency, this.index, circular, sorted, this.unfinished, { from: this, files });
  }

  get problems(): readonly Problem[] {
    return (this.flat ??= [
      ...[...this.dependency.values()].flat(),
      ...this.circular,
      ...[...this.conflicts.values()].flat(),
      ...this.unfinished,
    ]);
  }

  /** The problems in one migration's file, in the order of `problems`. */
  inFile(file: string, key: MigrationKey): Problem[] {
    const inIt = (problem: Problem) => problem.file === file;
    return [
      ...(this.dependency.get(key) ?? NONE),
      ...this.circular.filter(inIt),
      ...[...this.conflicts.values()].flatMap((problems) => problems.filter(inIt)),
      ...this.unfinished.filter(inIt),
    ];
  }
}
