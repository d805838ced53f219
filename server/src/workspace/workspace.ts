import { EditedTextParser } from '../project/editedTextParser';
import { migrationKey } from '../core/migration';
import { ConfiguredDatabase } from '../databases/configuredDatabases';
import { DatabasePasswords } from '../databases/databasePasswords';
import { knownSecrets } from '../databases/knownSecrets';
import { MigrationStateService } from '../databases/migrationStateService';
import { ServerVersions } from '../databases/serverVersions';
import { AppliedMigrationsResult, readAppliedMigrations } from '../db/recorder';
import { MigrationProject } from '../project/migrationProject';
import { loadProjects, LoadOptions } from '../project/projectLoader';
import { InitializationOptions } from '../../../protocol/index';
import { ServerContext } from '../serverContext';
import { DjangoBridge } from './djangoBridge';
import { takeSealingKey } from './sealedEnvironment';

/** What the workspace needs of whoever runs it: the language server, or the command line. */
export interface WorkspaceHost {
  readonly options: InitializationOptions;
  /** Resolves once the projects are indexed (again after a reload). */
  whenLoaded(): Promise<void>;
  log(message: string): void;
  info(message: string): void;
}

/** The command line's choices: how to index, and which database tells what is applied. */
export interface CommandLineOptions extends LoadOptions {
  /** `--database`: the DATABASES alias to read applied migrations from (default `default`). */
  readonly databaseAlias?: string;
  /** `--database-url`: the database that replaces that alias. */
  readonly databaseUrl?: string;
}

/** One alias as the workspace resolved it, and what reading its `django_migrations` gave. */
export interface AppliedRead {
  readonly alias: string;
  /** Absent when the project's DATABASES have no such alias. */
  readonly configured?: ConfiguredDatabase;
  /** Absent when the alias has no settings to be read with. */
  readonly result?: AppliedMigrationsResult;
}

/**
 * The one owner of the services: the indexed projects (with their parse caches), the bridge to each project's Django (one helper
 * per project) and each project's databases (resolved aliases, monitors, applied rows). Built
 * once by the language server (`forServer`: features reach it through `ServerContext.workspace`)
 * and once by the command line (`forCommandLine`), and disposed at the end so no monitor, pool or
 * Python helper outlives either.
 */
export class Workspace {
  readonly django: DjangoBridge;
  readonly databases: MigrationStateService;
  /** The database servers' versions, for the lint rules. */
  readonly serverVersions = new ServerVersions();
  /** Parses the editor's texts without holding the server's thread (off it when they take long). */
  readonly editedText = new EditedTextParser();
  /** The client's key for the task environments it asks for; see `TaskEnvironmentAnswer`. */
  readonly sealingKey: Buffer | undefined;
  private indexed: readonly MigrationProject[] = [];

  /**
   * @param askDjango whether DATABASES that Python computes at import time are asked of the
   * project's Django (trusted workspaces only); the command line does not ask when
   * `--database-url` names the database.
   */
  constructor(
    private readonly host: WorkspaceHost,
    askDjango = true,
  ) {
    // Read once, before anything the server starts could inherit it.
    const passwords = DatabasePasswords.takeFrom(process.env);
    this.sealingKey = takeSealingKey(process.env);
    this.django = new DjangoBridge(
      {
        get options() {
          return host.options;
        },
        whenLoaded: () => host.whenLoaded(),
        projects: () => this.projects(),
      },
      {
        log: (message) => host.log(message),
        secrets: (environment) => knownSecrets(this.django.project(environment.projectRoot), passwords),
      },
    );
    this.databases = new MigrationStateService(
      {
        projects: () => this.projects(),
        get options() {
          return host.options;
        },
        log: (message) => host.info(message),
      },
      { passwords, djangoDatabases: askDjango ? (project) => this.djangoDatabases(project) : undefined },
    );
  }

  /** The language server's workspace: its projects are indexed, and indexed again, by the server. */
  static forServer(context: ServerContext): Workspace {
    return new Workspace({
      get options() {
        return context.options;
      },
      whenLoaded: () => context.whenLoaded(),
      log: (message) => context.connection.console.log(message),
      info: (message) => context.connection.console.info(message),
    });
  }

  /**
   * The command line's workspace: every project below `folder`, indexed once. Its databases are
   * resolved by the same service as the language server's, `--database-url` standing where the
   * `djangoMigrations.databases.connections` setting would; nothing is read until asked.
   */
  static async forCommandLine(folder: string, options: CommandLineOptions): Promise<Workspace> {
    const alias = options.databaseAlias ?? 'default';
    const workspace = new Workspace(
      {
        options: {
          trusted: options.trusted,
          pythonPath: options.pythonPath,
          settingsModule: options.settingsModule,
          defaultAlias: alias,
          databases: options.databaseUrl === undefined ? undefined : { [alias]: options.databaseUrl },
        },
        whenLoaded: () => Promise.resolve(),
        log: () => undefined,
        info: () => undefined,
      },
      options.databaseUrl === undefined,
    );
    await workspace.index([folder], options);
    return workspace;
  }

  /**
   * (Re)discovers and indexes every Django project below the folders; these are the projects
   * every service of the workspace works on from now on. A folder that cannot be indexed is
   * told to `onError` and left out (thrown without it).
   */
  async index(
    folders: readonly string[],
    options: LoadOptions,
    onError?: (folder: string, error: unknown) => void,
  ): Promise<readonly MigrationProject[]> {
    const loaded = await Promise.all(
      folders.map((folder) =>
        loadProjects(folder, options).catch((error: unknown) => {
          if (!onError) throw error;
          onError(folder, error);
          return [];
        }),
      ),
    );
    this.indexed = loaded.flat();
    return this.indexed;
  }

  /** The projects of the last `index`. */
  projects(): readonly MigrationProject[] {
    return this.indexed;
  }

  /** Every alias of the project's databases, resolved now. */
  configuredDatabases(project: MigrationProject): Promise<ConfiguredDatabase[]> {
    return this.databases.configuredDatabases(project);
  }

  /**
   * Reads the primary alias's `django_migrations` once and gives its rows to the project's graph
   * (the command line's read; the server's monitors read in the background instead). A database
   * that cannot be read leaves nothing applied, as an empty one would.
   */
  async readApplied(project: MigrationProject): Promise<AppliedRead> {
    const alias = this.host.options.defaultAlias || 'default';
    const configured = (await this.configuredDatabases(project)).find((database) => database.alias === alias);
    const result = configured?.settings ? await readAppliedMigrations(configured.settings) : undefined;
    const rows = result?.status === 'ok' ? result.rows : [];
    project.setApplied(new Map(rows.map((row) => [migrationKey(row.app, row.name), row.applied])));
    return { alias, configured, result };
  }

  async dispose(): Promise<void> {
    this.editedText.dispose();
    this.databases.dispose();
    await this.django.dispose();
  }

  /** DATABASES from the project's Django, passwords included; undefined when Django cannot say. */
  private async djangoDatabases(project: MigrationProject): Promise<Record<string, Record<string, unknown>> | undefined> {
    const answer = await this.django.run({ projectRoot: project.project.root }, (helper) => helper.databases({ includePasswords: true }));
    if (!answer.ok) {
      // The message never holds a password: the helper hides the environment's secrets.
      this.host.info(`DATABASES of ${project.project.root} read statically: ${answer.message}`);
      return undefined;
    }
    return Object.fromEntries(Object.entries(answer.databases).map(([alias, entry]) => [alias, { ...entry.settings }]));
  }
}
