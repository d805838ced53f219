import { RenamedRows, undoneRenameState } from '../core/lifecycle/undoneRename';
import { migrationKey } from '../core/migration';
import { MigrationProject } from '../project/migrationProject';
import { ServerContext } from '../serverContext';
import { renameAliasRows } from './aliasRowRenames';
import { aliasRowsOf } from './migrationRefactorings';

const RENAME_BACK = 'Rename Rows Back';

interface Remembered {
  readonly projectRoot: string;
  readonly rows: RenamedRows;
  /** Asked once per undo: a dismissed offer comes back only after a redo and another undo. */
  offered: boolean;
}

/**
 * Undo of an applied migration's rename puts its files back, not its `django_migrations` rows.
 * The renames this server did are remembered; after each reload (files created and deleted),
 * one whose files carry the old name again while the databases, read afresh, still record the
 * new one is offered to have its rows renamed back, through the same transactions as the
 * rename. Nothing is written without the user's click.
 */
export class UndoneRenames {
  private readonly remembered: Remembered[] = [];
  private checking: Promise<void> = Promise.resolve();

  constructor(private readonly context: ServerContext) {
    // After the load listeners that restart the database monitors.
    context.onDidLoad(() => void Promise.resolve().then(() => this.check()));
  }

  remember(projectRoot: string, rows: RenamedRows): void {
    this.remembered.push({ projectRoot, rows, offered: false });
  }

  /** One check at a time, in order: an offer is sent before the next check reads anything. */
  private check(): void {
    this.checking = this.checking
      .then(() => this.checkNow())
      .catch((error: unknown) => this.context.connection.console.error(`undone renames: ${String(error)}`));
  }

  private async checkNow(): Promise<void> {
    await this.context.whenLoaded();
    for (const entry of [...this.remembered]) {
      const project = this.projectAt(entry.projectRoot);
      if (!project) continue;
      const { app, from, to } = entry.rows;
      const disk = project.loaderResult().diskMigrations;
      // Only files put back make the databases worth reading again.
      if (!disk.has(migrationKey(app, from)) || disk.has(migrationKey(app, to))) {
        entry.offered = false;
        continue;
      }
      const state = await this.currentState(entry);
      if (state?.status === 'settled') this.forget(entry);
      if (state?.status !== 'undone' || entry.offered) continue;
      entry.offered = true;
      void this.offer(entry, state.rows.map((rows) => `'${rows.alias}'`).join(', '));
    }
  }

  private async offer(entry: Remembered, aliases: string): Promise<void> {
    const { app, from, to } = entry.rows;
    const answer = await this.context.connection.window.showWarningMessage(
      `The rename of ${app}.${to} was undone in the files; rename its django_migrations rows back to ${from} on ${aliases}?`,
      { title: RENAME_BACK },
    );
    if (answer?.title !== RENAME_BACK) return;
    // What the databases hold when clicked, not when asked.
    const state = await this.currentState(entry);
    const project = this.projectAt(entry.projectRoot);
    if (state?.status !== 'undone' || !project) {
      if (state?.status === 'settled') this.forget(entry);
      void this.context.connection.window.showInformationMessage(
        `Django Migrations: no django_migrations row of ${app}.${to} is left to rename back to ${from}.`,
      );
      return;
    }
    const written = await renameAliasRows(this.context, project, state.rows);
    if (!written.ok) {
      void this.context.connection.window.showErrorMessage(
        `Django Migrations: the rows of ${app}.${to} were not renamed back: ${written.problem}.`,
      );
      entry.offered = false;
      return;
    }
    this.forget(entry);
    void this.context.workspace.databases.refresh(entry.projectRoot);
  }

  /** The rename's state from the files and the rows read now; undefined when its project is gone. */
  private async currentState(entry: Remembered) {
    await this.context.workspace.databases.refresh(entry.projectRoot);
    const project = this.projectAt(entry.projectRoot);
    return project && undoneRenameState(project.loaderResult().diskMigrations, entry.rows, aliasRowsOf(this.context, project));
  }

  private projectAt(root: string): MigrationProject | undefined {
    return this.context.projects().find((project) => project.project.root === root);
  }

  private forget(entry: Remembered): void {
    const index = this.remembered.indexOf(entry);
    if (index >= 0) this.remembered.splice(index, 1);
  }
}
