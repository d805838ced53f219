import { Hover, MarkupKind, Position } from 'vscode-languageserver/node';
import { MigrationExecutor } from '../core/executor';
import { Migration, migrationKey } from '../core/migration';
import { operationSemantics } from '../core/operations/index';
import { containsPosition } from '../core/sourceRange';
import { MigrationProject } from '../project/migrationProject';
import { atomicHover } from './atomicHover';
import { cursorTarget } from './cursorTarget';
import { fieldTarget, historyMarkdown, historyOf, modelTarget } from './modelHistory';
import { migrationDestination, modelDefinitions } from './navigationTargets';

/** Hover: what a referenced migration does (as Django's `describe()` phrases it) and where it stands. */
export function hover(project: MigrationProject, file: string, position: Position): Hover | null {
  const migration = project.migrationAt(file);
  if (!migration) return null;
  const target = cursorTarget(migration, position);
  if (target?.kind === 'migration') {
    const destination = migrationDestination(project, target);
    const value =
      destination.kind === 'migration'
        ? describeMigration(project, destination.migration)
        : destination.kind === 'external'
          ? `**${destination.app}.${destination.name}**: an app outside this workspace. Its migrations are read when ` +
            "`djangoMigrations.python.path` names the project's Python environment (trusted workspaces only)."
          : `**${destination.app}.${destination.name}** does not exist: Django will stop with NodeNotFoundError.`;
    return { contents: { kind: MarkupKind.Markdown, value }, range: target.range };
  }
  if (target?.kind === 'model') {
    const definitions = modelDefinitions(project, target.reference, target.app);
    const where = definitions.map((d) => `\`${d.migration.appLabel}.${d.migration.name}\``).join(', ');
    const label = target.reference.setting ? `settings.${target.reference.setting}` : `${target.app}.${target.reference.model}`;
    const historyTarget = modelTarget(project, migration, target.reference, target.app, position);
    const history = historyTarget ? historyMarkdown(project, historyOf(project, migration, historyTarget)) : [];
    return {
      contents: {
        kind: MarkupKind.Markdown,
        value: [`Model **${label}**${where ? `, created in ${where}` : ''}`, ...(history.length > 0 ? ['', ...history] : [])].join('\n'),
      },
      range: target.reference.range,
    };
  }
  const field = fieldTarget(migration, position);
  if (field) {
    const history = historyMarkdown(project, historyOf(project, migration, field));
    return {
      contents: { kind: MarkupKind.Markdown, value: [`Field **${field.app}.${field.model}.${field.field}**`, '', ...history].join('\n') },
      range: field.range,
    };
  }
  const operation = migration.parsed.operations.find((o) => containsPosition(o.call.calleeRange, position));
  if (!operation) return atomicHover(project, migration, position);
  const semantics = operationSemantics(operation.type, project.djangoVersion);
  const reversible = semantics.reversible(operation.call) ? 'reversible' : '**not reversible**';
  return {
    contents: { kind: MarkupKind.Markdown, value: `${semantics.describe(operation.call)} (${reversible})` },
    range: operation.call.calleeRange,
  };
}

function describeMigration(project: MigrationProject, migration: Migration): string {
  const { loaded } = project.analyse();
  const key = migrationKey(migration.appLabel, migration.name);
  const lines = [`**${migration.appLabel}.${migration.name}**`];
  const plan = new MigrationExecutor(loaded).migrationPlan(loaded.graph.leafNodes(), { cleanStart: true }).map((step) => step.key);
  const index = plan.indexOf(key);
  if (index >= 0) lines.push(`Step ${index + 1} of ${plan.length} in the plan from an empty database.`);
  else if (loaded.replacements.size > 0 && !loaded.graph.nodes.has(key)) lines.push('Replaced by a squashed migration in the plan.');
  if (loaded.appliedMigrations.has(key))
    lines.push(`Applied${loaded.appliedMigrations.get(key) ? ` on ${loaded.appliedMigrations.get(key)}` : ''}.`);
  const operations = migration.parsed.operations.map((o) => `- ${operationSemantics(o.type, project.djangoVersion).describe(o.call)}`);
  lines.push('', ...(operations.length > 0 ? operations : ['No operations.']));
  return lines.join('\n');
}
