import { lintMigration } from '../../../../server/src/core/lints';
import { EMPTY_CONFIGURATION, LintConfiguration } from '../../../../server/src/core/lints/lintConfiguration';
import { LintTarget, MigrationStateOracle, ServerVersion } from '../../../../server/src/core/lints/lintRule';
import { Problem } from '../../../../server/src/core/problem';
import { parseMigration } from '../../../../server/src/python/migrationParser';
import { readLintSource } from '../../../../server/src/python/lintSourceReader';
import { loadPythonParser } from '../../../../server/src/python/pythonParser';

export const POSTGRES_15: LintTarget = { alias: 'default', vendor: 'postgresql', version: [15, 4], versionSource: 'server' };
export const POSTGRES_10: LintTarget = { alias: 'default', vendor: 'postgresql', version: [10, 0], versionSource: 'setting' };
export const MYSQL_8: LintTarget = { alias: 'default', vendor: 'mysql', version: [8, 0], versionSource: 'setting' };
export const SQLITE: LintTarget = { alias: 'default', vendor: 'sqlite' };

export interface LintTextOptions {
  readonly targets?: readonly LintTarget[];
  readonly configuration?: LintConfiguration;
  readonly app?: string;
  readonly name?: string;
  readonly djangoVersion?: ServerVersion;
  readonly state?: MigrationStateOracle;
}

/** Parses a migration file's text as the server does and runs the lint rules on it. */
export async function lintText(text: string, options: LintTextOptions = {}): Promise<Problem[]> {
  const parser = await loadPythonParser();
  const app = options.app ?? 'shop';
  const name = options.name ?? '0002_change';
  const migration = { appLabel: app, name, path: `/project/${app}/migrations/${name}.py`, parsed: parseMigration(parser, text) };
  const source = readLintSource(parser, text);
  return lintMigration(
    {
      migration,
      targets: options.targets ?? [POSTGRES_15],
      functions: source.functions,
      source: text,
      djangoVersion: options.djangoVersion,
      state: options.state,
    },
    { configuration: options.configuration ?? EMPTY_CONFIGURATION, comments: source.comments },
  );
}

/** A migration file with these operations (and class attributes), as makemigrations lays it out. */
export function migrationText(operations: string, { attributes = '', imports = '', functions = '' } = {}): string {
  return (
    `from django.db import migrations, models\n${imports}\n\n${functions}` +
    `class Migration(migrations.Migration):\n${attributes}\n    dependencies = [\n        ('shop', '0001_initial'),\n    ]\n\n` +
    `    operations = [\n${operations}\n    ]\n`
  );
}

/** The rule ids found, sorted. */
export function codes(problems: readonly Problem[]): string[] {
  return problems.map((p) => p.code).sort();
}
