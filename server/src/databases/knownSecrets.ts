import { MigrationProject } from '../project/migrationProject';
import { DatabasePasswords } from './databasePasswords';

/**
 * The passwords the server knows for a project, to hide wherever they appear in what the
 * project's Python prints: literal `PASSWORD`s of its settings and those the user stored.
 */
export function knownSecrets(project: MigrationProject | undefined, passwords: DatabasePasswords | undefined): string[] {
  if (!project) return [];
  const secrets: string[] = [];
  for (const config of Object.values(project.settings?.databases ?? {})) {
    if (typeof config.PASSWORD === 'string') secrets.push(config.PASSWORD);
  }
  secrets.push(...(passwords?.ofProject(project.project.root) ?? []));
  return secrets;
}
