import { callArgument, PythonValue } from '../../pythonValue';
import { siteFinding } from '../findings';
import { LintRule } from '../lintRule';
import { operationSites } from '../operationSites';

/** Statements that change the schema; SQL text, not Python, is matched here. */
const DDL = /^\s*(create|alter|drop|rename|truncate)\b/im;

/** RunSQL changing the schema without telling Django's state. */
export const runSqlDdl: LintRule = {
  id: 'run-sql-ddl',
  severity: 'information',
  optIn: true,
  vendors: ['postgresql', 'mysql', 'sqlite', 'oracle', 'other'],
  summary: "RunSQL changes the schema behind Django's back unless state_operations describe the change.",
  check(context) {
    return operationSites(context.migration).flatMap((site) => {
      if (site.type !== 'RunSQL' || site.nested) return [];
      if (callArgument(site.call, 2, 'state_operations')) return [];
      const statements = sqlTexts(callArgument(site.call, 0, 'sql'));
      if (!statements.some((text) => DDL.test(text))) return [];
      return [
        siteFinding(
          site,
          "RunSQL with DDL: Django's migration state does not see this schema change, so makemigrations and later " +
            'operations work from a schema that differs from the database. Describe it with state_operations= (or ' +
            'SeparateDatabaseAndState); on MySQL and Oracle it also commits on its own, outside any transaction.',
        ),
      ];
    });
  },
};

/** The SQL strings as written: a string, or a list of strings / (sql, params) tuples. */
function sqlTexts(value: PythonValue | undefined): string[] {
  if (!value) return [];
  if (value.kind === 'str') return [value.value];
  if (value.kind === 'list' || value.kind === 'tuple') {
    return value.items.flatMap((item) => (item.kind === 'tuple' ? sqlTexts(item.items[0]) : sqlTexts(item)));
  }
  return [];
}
