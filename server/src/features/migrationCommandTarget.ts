import { Range } from 'vscode-languageserver/node';
import { Migration } from '../core/migration';
import { MigrationProject } from '../project/migrationProject';
import { MigrationCommandArguments } from '../../../protocol/index';

/** Where a command lens on a migration goes (the `class Migration` line) and what it runs on. */
export interface MigrationCommandTarget {
  readonly migration: Migration;
  readonly range: Range;
  readonly target: MigrationCommandArguments;
}

/** The command lens target of a migration file; undefined when it is not one or has no class. */
export function migrationCommandTarget(project: MigrationProject, file: string): MigrationCommandTarget | undefined {
  const migration = project.migrationAt(file);
  const classRange = migration?.parsed.classRange;
  if (!migration || !classRange) return undefined;
  const lineStart = { line: classRange.start.line, character: 0 };
  return {
    migration,
    range: { start: lineStart, end: lineStart },
    target: { projectRoot: project.project.root, app: migration.appLabel, name: migration.name, file },
  };
}
