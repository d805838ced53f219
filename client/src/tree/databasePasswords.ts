import * as vscode from 'vscode';
import { DATABASE_PASSWORDS_VARIABLE, DatabasePassword, MigrationStateResult } from '../../../protocol/index';
import { ClientContext } from '../clientContext';

/** Which project and alias have a stored password (the passwords themselves are in secret storage). */
const INDEX_KEY = 'djangoMigrations.databasePasswords';

interface PasswordKey {
  readonly projectRoot: string;
  readonly alias: string;
}

function secretKey(key: PasswordKey): string {
  return `djangoMigrations.databasePassword\u0000${key.projectRoot}\u0000${key.alias}`;
}

/**
 * The environment variable that gives the server the stored passwords when it starts: never an
 * LSP message, which a trace would write to the output channel.
 */
export async function databasePasswordEnvironment(extension: vscode.ExtensionContext): Promise<Record<string, string>> {
  const entries: DatabasePassword[] = [];
  for (const key of extension.globalState.get<PasswordKey[]>(INDEX_KEY, [])) {
    const password = await extension.secrets.get(secretKey(key));
    if (password) entries.push({ projectRoot: key.projectRoot, alias: key.alias, password });
  }
  return entries.length > 0 ? { [DATABASE_PASSWORDS_VARIABLE]: JSON.stringify(entries) } : {};
}

/**
 * "Django Migrations: Set Database Password": a password for one project's alias, kept in VS
 * Code's secret storage; an empty one removes it. The server restarts to use it.
 */
export function databasePasswordFeature(context: ClientContext): void {
  const store = context.migrationState;
  const extension = context.extension;
  extension.subscriptions.push(
    vscode.commands.registerCommand('djangoMigrations.setDatabasePassword', async (target?: Partial<PasswordKey>) => {
      const key =
        target?.projectRoot && target.alias ? { projectRoot: target.projectRoot, alias: target.alias } : await pickAlias(store.current);
      if (!key) return;
      const password = await vscode.window.showInputBox({
        title: `Database password for '${key.alias}'`,
        prompt: `Used to read the applied migrations of '${key.alias}' in ${vscode.workspace.asRelativePath(key.projectRoot, true)}. Empty: forget the stored password.`,
        password: true,
        ignoreFocusOut: true,
      });
      if (password === undefined) return;
      const others = extension.globalState
        .get<PasswordKey[]>(INDEX_KEY, [])
        .filter((known) => known.projectRoot !== key.projectRoot || known.alias !== key.alias);
      if (password === '') {
        await extension.secrets.delete(secretKey(key));
        await extension.globalState.update(INDEX_KEY, others);
      } else {
        await extension.secrets.store(secretKey(key), password);
        await extension.globalState.update(INDEX_KEY, [...others, key]);
      }
      await vscode.commands.executeCommand('djangoMigrations.restartServer');
    }),
  );
}

async function pickAlias(state: MigrationStateResult | undefined): Promise<PasswordKey | undefined> {
  const items = (state?.projects ?? []).flatMap((project) =>
    project.aliases.map((alias) => ({
      label: alias.alias,
      description: alias.database,
      detail: state!.projects.length > 1 ? project.root : undefined,
      key: { projectRoot: project.root, alias: alias.alias },
    })),
  );
  if (items.length === 0) {
    void vscode.window.showInformationMessage(
      'No database alias is known yet: the Migrations view lists them once the projects are indexed.',
    );
    return undefined;
  }
  const picked = items.length === 1 ? items[0] : await vscode.window.showQuickPick(items, { title: 'Set the password of which database?' });
  return picked?.key;
}
