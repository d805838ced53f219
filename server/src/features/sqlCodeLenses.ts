import { CodeLens } from 'vscode-languageserver/node';
import { CodeLensSource } from './codeLenses';
import { migrationCommandTarget } from './migrationCommandTarget';

/**
 * "SQL" and "Backwards SQL" above `class Migration`, opening what `sqlmigrate` prints. The
 * backwards lens of an irreversible migration names the operation that prevents it. Only in a
 * trusted workspace: the SQL comes from the project's own Django.
 */
export const sqlCodeLenses: CodeLensSource = (context, project, file) => {
  if (!context.options.trusted) return [];
  const lensTarget = migrationCommandTarget(project, file);
  if (!lensTarget) return [];
  const { range, target } = lensTarget;
  const irreversible = (project.analyse().problemsByFile.get(file) ?? []).filter((problem) => problem.code === 'irreversible-operation');
  // The check's message starts with what is missing ("RunPython has no reverse_code"), then why it matters.
  const blockers = irreversible.map((problem) => `${problem.message.split(': ')[0]} (line ${problem.range.start.line + 1})`);
  const lenses: CodeLens[] = [
    { range, command: { title: 'SQL', command: 'djangoMigrations.showSql', arguments: [target] } },
    {
      range,
      command: {
        title: blockers.length === 0 ? 'Backwards SQL' : `Backwards SQL: irreversible, ${blockers.join('; ')}`,
        command: 'djangoMigrations.showBackwardsSql',
        arguments: [target],
      },
    },
  ];
  return lenses;
};
