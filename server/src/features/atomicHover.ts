import { Hover, MarkupKind, Position } from 'vscode-languageserver/node';
import { atomicExplanation } from '../core/lints/atomicExplanation';
import { vendorOfEngine } from '../core/lints/lintTarget';
import { Migration } from '../core/migration';
import { containsPosition } from '../core/sourceRange';
import { MigrationProject } from '../project/migrationProject';
import { configuredDatabases } from '../databases/configuredDatabases';

/** Hover on `atomic = ...` or the Migration class name: what runs in a transaction on the project's backends. */
export function atomicHover(project: MigrationProject, migration: Migration, position: Position): Hover | null {
  const range = migration.parsed.attributeRanges.atomic ?? migration.parsed.classNameRange;
  if (!range || !containsPosition(range, position)) return null;
  const vendors = configuredDatabases({ root: project.project.root, settings: project.settings, environment: process.env })
    .filter((database) => database.settings !== undefined)
    .map((database) => vendorOfEngine(database.settings!.djangoEngine));
  return { contents: { kind: MarkupKind.Markdown, value: atomicExplanation(migration, vendors) }, range };
}
