import { DatabasePasswords } from '../databases/databasePasswords';
import { MigrationStateService } from '../databases/migrationStateService';
import { MigrationProject } from '../project/migrationProject';
import { ServerContext } from '../serverContext';
import { DjangoBridge } from './djangoBridge';

/**
 * The one owner of the server's services: the bridge to each project's Django (one helper per
 * project) and each project's databases (resolved aliases, monitors, applied rows). Built once
 * by the language server, reached by the features through `ServerContext.workspace`, and
 * disposed on shutdown so no monitor, pool or Python helper outlives the server.
 */
export class Workspace {
  readonly django: DjangoBridge;
  readonly databases: MigrationStateService;

  constructor(context: ServerContext) {
    this.django = new DjangoBridge(context, { log: (message) => context.connection.console.log(message) });
    // Read once, before anything the server starts could inherit it.
    const passwords = DatabasePasswords.takeFrom(process.env);
    this.databases = new MigrationStateService(
      {
        projects: () => context.projects(),
        get options() {
          return context.options;
        },
        log: (message) => context.connection.console.info(message),
      },
      { passwords, djangoDatabases: (project) => this.djangoDatabases(context, project) },
    );
  }

  async dispose(): Promise<void> {
    this.databases.dispose();
    await this.django.dispose();
  }

  /** DATABASES from the project's Django, passwords included; undefined when Django cannot say. */
  private async djangoDatabases(
    context: ServerContext,
    project: MigrationProject,
  ): Promise<Record<string, Record<string, unknown>> | undefined> {
    const answer = await this.django.run({ projectRoot: project.project.root }, (helper) => helper.databases({ includePasswords: true }));
    if (!answer.ok) {
      // The message never holds a password: the helper hides the environment's secrets.
      context.connection.console.info(`DATABASES of ${project.project.root} read statically: ${answer.message}`);
      return undefined;
    }
    return Object.fromEntries(Object.entries(answer.databases).map(([alias, entry]) => [alias, { ...entry.settings }]));
  }
}
