import { callArgument, PythonCall, PythonValue, stringValue } from '../../pythonValue';
import { SourceRange } from '../../sourceRange';
import { fieldCallOf, fieldKeyword, isRelation } from '../fieldCall';
import { siteFinding } from '../findings';
import { LintFinding, LintRule, OperationSite } from '../lintRule';
import { targetLabel } from '../lintTarget';
import { operationSites } from '../operationSites';
import { constraintOf } from './constraintCall';

/** MySQL's limit for table, column, index and constraint names. */
export const MYSQL_MAX_NAME_LENGTH = 64;

/**
 * Names longer than MySQL allows. Django shortens the names it makes up (tables from the app
 * label and model, index and foreign key names: `truncate_name` with a hash), but never one the
 * migration spells out: `db_table`, a column (the field name, `db_column`, `<name>_id` of a
 * foreign key), an index or constraint `name`.
 */
export const mysqlIdentifierLength: LintRule = {
  id: 'mysql-identifier-too-long',
  severity: 'error',
  vendors: ['mysql'],
  summary: 'Table, column, index and constraint names longer than 64 characters fail on MySQL.',
  check(context, target) {
    const findings: LintFinding[] = [];
    const report = (site: OperationSite, kind: string, name: string, range: SourceRange) => {
      if (name.length <= MYSQL_MAX_NAME_LENGTH) return;
      findings.push({
        ...siteFinding(
          site,
          `The ${kind} name '${name}' has ${name.length} characters; ${targetLabel(target)} allows ${MYSQL_MAX_NAME_LENGTH}, ` +
            'and Django does not shorten names a migration spells out: migrate fails with "Identifier name is too long".',
        ),
        range,
      });
    };
    for (const site of operationSites(context.migration)) {
      const columns = (name: PythonValue | undefined, field: PythonValue | undefined) => {
        const fieldCall = fieldCallOf(field);
        const fieldName = stringValue(name);
        if (!fieldCall || fieldName === undefined || fieldCall.className === 'ManyToManyField') return;
        const dbColumn = fieldKeyword(fieldCall, 'db_column');
        const column = stringValue(dbColumn) ?? (isRelation(fieldCall) ? `${fieldName}_id` : fieldName);
        report(site, 'column', column, (dbColumn ?? name)!.range);
      };
      switch (site.type) {
        case 'CreateModel': {
          const fields = callArgument(site.call, 1, 'fields');
          if (fields?.kind === 'list' || fields?.kind === 'tuple') {
            for (const entry of fields.items)
              if (entry.kind === 'tuple' && entry.items.length === 2) columns(entry.items[0], entry.items[1]);
          }
          const options = callArgument(site.call, 2, 'options');
          if (options?.kind === 'dict') {
            for (const { key, value } of options.entries) {
              if (stringValue(key) === 'db_table' && value.kind === 'str') report(site, 'table', value.value, value.range);
              if (stringValue(key) === 'indexes' || stringValue(key) === 'constraints')
                namedCalls(value).forEach((n) => report(site, 'index or constraint', n.name, n.range));
            }
          }
          break;
        }
        case 'AddField':
        case 'AlterField':
          columns(callArgument(site.call, 1, 'name'), callArgument(site.call, 2, 'field'));
          break;
        case 'RenameField': {
          const newName = callArgument(site.call, 2, 'new_name');
          if (newName?.kind === 'str') report(site, 'column', newName.value, newName.range);
          break;
        }
        case 'AlterModelTable': {
          const table = callArgument(site.call, 1, 'table');
          if (table?.kind === 'str') report(site, 'table', table.value, table.range);
          break;
        }
        case 'AddIndex':
          namedCalls(callArgument(site.call, 1, 'index')).forEach((n) => report(site, 'index', n.name, n.range));
          break;
        case 'AddConstraint': {
          const constraint = constraintOf(site.call);
          if (constraint) namedCalls(constraint.call).forEach((n) => report(site, 'constraint', n.name, n.range));
          break;
        }
      }
    }
    return findings;
  },
};

/** The `name=` strings of Index(...) / Constraint(...) calls in a value or list. */
function namedCalls(value: PythonValue | undefined): { name: string; range: SourceRange }[] {
  if (!value) return [];
  if (value.kind === 'list' || value.kind === 'tuple') return value.items.flatMap(namedCalls);
  if (value.kind !== 'call') return [];
  const name = (value as PythonCall).kwargs.find((k) => k.name === 'name')?.value;
  return name?.kind === 'str' ? [{ name: name.value, range: name.range }] : [];
}
