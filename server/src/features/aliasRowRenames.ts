import { RefactoringPlan, RowRename } from '../core/lifecycle/refactoringPlan';
import { renameRecorderRows } from '../db/recorderRenames';
import { DatabaseSettings } from '../db/databaseSettings';
import { MigrationProject } from '../project/migrationProject';
import { ServerContext } from '../serverContext';

export type AliasRowRenames =
  | {
      readonly ok: true;
      /** Renames back every row written, last alias first. */
      undo(): Promise<void>;
    }
  | { readonly ok: false; readonly problem: string };

/**
 * Renames the `django_migrations` rows of each alias, one transaction per alias. When an alias
 * cannot be written, the aliases already done are renamed back and why is returned, so either
 * every alias is renamed or none is.
 */
export async function renameAliasRows(
  context: ServerContext,
  project: MigrationProject,
  rows: RefactoringPlan['rows'],
): Promise<AliasRowRenames> {
  const settings = new Map(context.workspace.databases.views(project).map((view) => [view.alias, view.configured.settings]));
  const done: { alias: string; renames: readonly RowRename[] }[] = [];
  const undo = async () => {
    for (const step of done.reverse())
      await writeRows(
        context,
        project,
        step.alias,
        settings.get(step.alias)!,
        step.renames.map((r) => ({ app: r.app, from: r.to, to: r.from })),
      );
  };
  for (const { alias, renames } of rows) {
    const aliasSettings = settings.get(alias);
    const problem = aliasSettings ? await writeRows(context, project, alias, aliasSettings, renames) : `no settings for '${alias}'`;
    if (problem !== undefined) {
      await undo();
      return { ok: false, problem: `database '${alias}' was not changed (${problem})` };
    }
    done.push({ alias, renames });
  }
  return { ok: true, undo };
}

/**
 * Renames one alias's rows in one transaction, through the db layer; where no SQLite driver
 * writes in this runtime, through the project's Django (a trusted workspace only). Undefined
 * when done, else why nothing was renamed.
 */
async function writeRows(
  context: ServerContext,
  project: MigrationProject,
  alias: string,
  settings: DatabaseSettings,
  renames: readonly RowRename[],
): Promise<string | undefined> {
  const written = await renameRecorderRows(settings, renames);
  if (written.status === 'ok') return undefined;
  if (written.status !== 'driver-unavailable') return written.message;
  const answer = await context.workspace.django.run({ projectRoot: project.project.root }, (helper) =>
    helper.renameRecorderRows({ database: alias, renames }),
  );
  return answer.ok ? undefined : `${written.message}; through Django: ${answer.message}`;
}
