import { DetectedMigration, MigrationAutodetector } from '../core/autodetector';
import { djangoVersionText } from '../core/djangoVersion';
import { LoaderResult } from '../core/loader';
import { makeState } from '../core/makeState';
import { splitMigrationKey } from '../core/migration';
import { ProjectState } from '../core/state';
import { MigrationProject } from './migrationProject';
import { ModelsReading } from './modelsResolver';
import { ProjectModels } from './projectModels';

export interface MissingMigrations {
  /** What `makemigrations` would write, one migration per app with changes. */
  readonly migrations: readonly DetectedMigration[];
  readonly reading: ModelsReading;
  /** Apps whose migrations have more than one leaf: makemigrations refuses to run there. */
  readonly conflicts: ReadonlySet<string>;
}

export interface MissingMigrationsOptions {
  /** Also apps with no migrations package: `makemigrations APP` names them explicitly. */
  readonly includeUnmigrated?: boolean;
  readonly djangoVersion?: string;
  readonly now?: Date;
}

/**
 * `makemigrations --dry-run` on the models read statically: the state at every app's leaf (the
 * graph `makemigrations` loads, without a database, so squashes replace what they squash)
 * compared with the models. The leaf state is kept until a migration changes.
 */
export class MissingMigrationsDetector {
  private leafFor: LoaderResult | undefined;
  private leaf: { state: ProjectState; leaves: Map<string, string>; conflicts: Set<string>; broken: boolean } | undefined;

  constructor(
    private readonly migrations: MigrationProject,
    private readonly models: ProjectModels,
  ) {}

  detect(options: MissingMigrationsOptions = {}): MissingMigrations {
    const { state, leaves, conflicts, broken } = this.leafState();
    const reading = this.models.reading();
    // makemigrations stops at a graph Django cannot build: nothing to compare with.
    if (broken) return { migrations: [], reading, conflicts };
    const project = this.migrations.project;
    const apps = new Set(
      project.apps
        .filter((app) => !app.external && app.migrationsModule !== null && !conflicts.has(app.label))
        .filter((app) => options.includeUnmigrated || app.migrationsDirectory !== undefined)
        .map((app) => app.label),
    );
    const known = this.migrations.djangoVersionAssumed ? undefined : djangoVersionText(this.migrations.djangoVersion);
    const djangoVersion = options.djangoVersion ?? known;
    const detector = new MigrationAutodetector(state, reading.state, {
      apps,
      swappable: project.swappableSettings,
      unknownFields: reading.unknownFields,
      incompleteApps: reading.incompleteApps,
      leaves,
      timeZone: this.models.timeZone(),
      // Migration names follow the Django the project is known to run (4.0 joins the operations' fragments).
      ...(djangoVersion ? { djangoVersion } : {}),
      ...(options.now ? { now: options.now } : {}),
    });
    return { migrations: detector.changes(), reading, conflicts };
  }

  private leafState() {
    const current = this.migrations.loaderResult();
    if (this.leaf && this.leafFor === current) return this.leaf;
    // makemigrations loads the graph with no connection: nothing applied, squashes in use.
    const loaded = this.migrations.unappliedLoaderResult();
    const leaves = new Map<string, string>();
    const conflicts = new Set<string>();
    for (const key of loaded.graph.leafNodes()) {
      const [app, name] = splitMigrationKey(key);
      if (leaves.has(app)) conflicts.add(app);
      leaves.set(app, name);
    }
    const state = makeState(loaded.graph, undefined, true, this.migrations.project.swappableSettings);
    this.leafFor = current;
    this.leaf = { state, leaves, conflicts, broken: loaded.errors.length > 0 };
    return this.leaf;
  }
}
