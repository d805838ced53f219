import { CodeLens } from 'vscode-languageserver/node';
import { MigrationProject } from '../project/migrationProject';
import { ServerContext } from '../serverContext';
import { appliedStateLenses } from './appliedStateLenses';
import { migrateCodeLenses } from './migrateCodeLenses';
import { sqlCodeLenses } from './sqlCodeLenses';

/** One source of code lenses on a migration file (applied state, SQL previews, ...). */
export type CodeLensSource = (context: ServerContext, project: MigrationProject, file: string) => CodeLens[] | Promise<CodeLens[]>;

/** Every lens source, in the order their lenses appear above `class Migration`. */
export const CODE_LENS_SOURCES: CodeLensSource[] = [appliedStateLenses, sqlCodeLenses, migrateCodeLenses];

export async function codeLenses(context: ServerContext, project: MigrationProject, file: string): Promise<CodeLens[]> {
  const lenses = await Promise.all(CODE_LENS_SOURCES.map((source) => source(context, project, file)));
  return lenses.flat();
}
