import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { migrationKey } from '../core/migration';
import { UntrustedWorkspaceError } from '../django/djangoErrors';
import { DjangoHelperProcess } from '../django/djangoHelperProcess';
import { DjangoHelpers, DjangoHelpersOptions } from '../django/djangoHelpers';
import { PythonEnvironment, pythonEnvironmentKey, resolvePythonEnvironment } from '../django/pythonEnvironment';
import { MigrationProject } from '../project/migrationProject';
import {
  DjangoAnswer,
  DjangoFailure,
  DjangoRequestParams,
  InitializationOptions,
  SqlmigrateAnswer,
  SqlmigrateRequestParams,
} from '../../../protocol/index';
import { djangoFailure } from './djangoFailure';
import { helperInvalidation } from './helperInvalidation';

export type DjangoBridgeOptions = Omit<DjangoHelpersOptions, 'trusted'>;

/** What the bridge needs of the workspace that owns it. */
export interface DjangoBridgeHost {
  readonly options: InitializationOptions;
  /** Resolves once the projects are indexed (again after a reload). */
  whenLoaded(): Promise<void>;
  projects(): readonly MigrationProject[];
}

/** Answers kept per (migration, direction, database); old ones go first. */
const SQL_CACHE_SIZE = 500;

/**
 * The server's side of the project's Django: one helper per project (started on the first
 * request, never in an untrusted workspace), kept in step with the files (migration edits reload
 * it, models/settings/.env edits restart it), with sqlmigrate answers cached by file content.
 */
export class DjangoBridge {
  private helpers: DjangoHelpers | undefined;
  /** Helpers started for each project root, so an edit in one project leaves the others alone. */
  private readonly projectHelpers = new Map<string, Set<DjangoHelperProcess>>();
  /** Helpers that imported migration modules which changed on disk since. */
  private readonly needsReload = new WeakSet<DjangoHelperProcess>();
  /** Bumped per project root on every relevant edit: part of each cache key. */
  private readonly generations = new Map<string, number>();
  private readonly sqlCache = new Map<string, SqlmigrateAnswer>();

  constructor(
    private readonly context: DjangoBridgeHost,
    private readonly options: DjangoBridgeOptions = {},
  ) {}

  /** The indexed project whose manage.py folder is `root`. */
  project(root: string): MigrationProject | undefined {
    return this.context.projects().find((project) => project.project.root === root);
  }

  /** How the project's Python runs: the client's interpreter, else the settings, else a virtual environment. */
  environment(project: MigrationProject, python?: string): PythonEnvironment {
    return resolvePythonEnvironment({
      projectRoot: project.project.root,
      pythonPath: python || this.context.options.pythonPath,
      settingsModule: this.context.options.settingsModule,
      manageSettingsModule: project.project.settingsModule,
    });
  }

  /**
   * Runs `action` on the project's helper. Refuses in an untrusted workspace before anything is
   * started; every failure becomes a DjangoFailure with a message for the user.
   */
  async run<T extends object>(
    params: DjangoRequestParams,
    action: (helper: DjangoHelperProcess, project: MigrationProject) => Promise<T>,
  ): Promise<DjangoAnswer<T>> {
    if (!this.context.options.trusted) return djangoFailure(new UntrustedWorkspaceError("start the project's Django"));
    await this.context.whenLoaded();
    const project = this.project(params.projectRoot);
    if (!project)
      return { ok: false, reason: 'noProject', message: `No Django project with its manage.py in ${params.projectRoot} is indexed.` };
    const environment = this.environment(project, params.python);
    if (!environment.settingsModule) return noSettings(project);
    try {
      const helper = this.helperFor(project, environment);
      if (this.needsReload.has(helper) && helper.pid !== undefined) await helper.reload();
      this.needsReload.delete(helper);
      return { ok: true, ...(await action(helper, project)) };
    } catch (error) {
      return djangoFailure(error, environment);
    }
  }

  /** `manage.py sqlmigrate`, from the cache when neither the migration file nor the project changed. */
  async sqlmigrate(params: SqlmigrateRequestParams): Promise<DjangoAnswer<SqlmigrateAnswer>> {
    let cacheKey: string | undefined;
    const answer = await this.run(params, async (helper, project) => {
      const environment = this.environment(project, params.python);
      const file = project.analyse().loaded.diskMigrations.get(migrationKey(params.app, params.name))?.path;
      const content = file ? await readFile(file).catch(() => undefined) : undefined;
      cacheKey = JSON.stringify([
        pythonEnvironmentKey(environment),
        params.app,
        params.name,
        Boolean(params.backwards),
        params.database ?? 'default',
        content ? createHash('sha1').update(content).digest('hex') : null,
        this.generations.get(project.project.root) ?? 0,
      ]);
      const cached = this.sqlCache.get(cacheKey);
      if (cached) return cached;
      const output = await helper.sqlmigrate({
        app: params.app,
        name: params.name,
        backwards: params.backwards,
        database: params.database,
      });
      return { sql: output.stdout, stderr: output.stderr };
    });
    if (answer.ok && cacheKey) {
      this.sqlCache.delete(cacheKey);
      this.sqlCache.set(cacheKey, { sql: answer.sql, stderr: answer.stderr });
      if (this.sqlCache.size > SQL_CACHE_SIZE) this.sqlCache.delete(this.sqlCache.keys().next().value!);
    }
    return answer;
  }

  /** Files changed on disk: reload or restart the helpers of the projects they belong to. */
  onFilesChanged(files: readonly string[]): void {
    for (const file of files) {
      for (const project of this.context.projects()) {
        const invalidation = helperInvalidation(file, project.project);
        if (!invalidation) continue;
        const root = project.project.root;
        this.generations.set(root, (this.generations.get(root) ?? 0) + 1);
        for (const helper of this.projectHelpers.get(root) ?? []) {
          if (invalidation === 'restart') void helper.restart();
          else this.needsReload.add(helper);
        }
      }
    }
  }

  /** Stops every helper process. */
  async dispose(): Promise<void> {
    const helpers = this.helpers;
    this.helpers = undefined;
    this.projectHelpers.clear();
    await helpers?.dispose();
  }

  private helperFor(project: MigrationProject, environment: PythonEnvironment): DjangoHelperProcess {
    this.helpers ??= new DjangoHelpers({ ...this.options, trusted: this.context.options.trusted });
    const helper = this.helpers.get(environment);
    const root = project.project.root;
    let started = this.projectHelpers.get(root);
    if (!started) this.projectHelpers.set(root, (started = new Set()));
    if (!started.has(helper)) {
      started.add(helper);
      // A fresh process reads every migration from disk.
      helper.onDidStart(() => this.needsReload.delete(helper));
    }
    return helper;
  }
}

function noSettings(project: MigrationProject): DjangoFailure {
  return {
    ok: false,
    reason: 'noSettings',
    message: `No settings module is known for the project in ${project.project.root}: set djangoMigrations.settings.module, or DJANGO_SETTINGS_MODULE in .env.`,
  };
}
