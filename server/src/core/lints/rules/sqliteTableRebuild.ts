import { lastNamePart, PythonValue } from '../../pythonValue';
import { booleanKeyword, FieldCall, fieldKeyword, hasColumn, isReadable, isRelation, operationField } from '../fieldCall';
import { siteFinding } from '../findings';
import { LintContext, LintRule, OperationSite, ServerVersion } from '../lintRule';
import { versionBefore } from '../lintTarget';
import { isNewTable, modelNameOf, operationSites } from '../operationSites';
import { constraintOf } from './constraintCall';
import { fieldBefore } from './fieldBefore';

/**
 * Operations Django's SQLite schema editor runs by rebuilding the table (create a copy with the
 * new schema, copy the rows, drop the old one, rename): slow on big tables, and the moment
 * foreign keys and triggers are rebuilt. Informational, as Django's docs describe it.
 */
export const sqliteTableRebuild: LintRule = {
  id: 'sqlite-table-rebuild',
  severity: 'information',
  optIn: true,
  vendors: ['sqlite'],
  summary: 'On SQLite Django rebuilds the whole table for this operation (new table, copy, drop, rename).',
  check(context) {
    const django: ServerVersion = context.djangoVersion ?? [3, 2];
    return operationSites(context.migration).flatMap((site) => {
      if (isNewTable(context, site, modelNameOf(site.call))) return [];
      const why = rebuildReason(context, site, django);
      return why
        ? [
            siteFinding(
              site,
              `SQLite: Django rebuilds the table of '${modelNameOf(site.call) ?? '?'}' for ${why} (a new table with the new ` +
                'schema, every row copied, the old table dropped, the new one renamed): time proportional to its size.',
            ),
          ]
        : [];
    });
  },
};

/** Why Django's SQLite schema editor (of this release) rebuilds the table for the operation; undefined when it does not or cannot be known. */
function rebuildReason(context: LintContext, site: OperationSite, django: ServerVersion): string | undefined {
  const modern = !versionBefore(django, [4, 0]);
  switch (site.type) {
    case 'AlterField': {
      // Django alters nothing when only attributes the schema does not hold changed (help_text, ...).
      const before = fieldBefore(context, site);
      const after = operationField(site.call);
      return before && after && onlySchemaFreeChanges(before, after, django) ? undefined : 'AlterField';
    }
    case 'AddField': {
      // M2M fields add a table instead. Django 3.2's add_field always rebuilds; from 4.0 only what
      // ALTER TABLE ADD COLUMN cannot do: a primary key, unique, NOT NULL, a default.
      const field = operationField(site.call);
      if (!field || !hasColumn(field)) return undefined;
      return !modern || addsWithRebuild(field) ? 'AddField' : undefined;
    }
    case 'RemoveField': {
      if (!modern) return 'RemoveField';
      // From 4.0 ALTER TABLE DROP COLUMN, except for what SQLite cannot drop that way.
      const field = fieldBefore(context, site);
      if (!field || !hasColumn(field)) return undefined;
      const flags = ['primary_key', 'unique', 'db_index'].map((name) => booleanKeyword(field, name, false));
      if (flags.includes(undefined)) return undefined;
      const constrained = isRelation(field) && booleanKeyword(field, 'db_constraint', true);
      return flags.includes(true) || constrained || field.className === 'OneToOneField' ? 'RemoveField' : undefined;
    }
    case 'AddConstraint': {
      const constraint = constraintOf(site.call);
      if (!constraint) return undefined;
      // A unique constraint Django makes as an index: with a condition (3.2), or expressions, include, deferrable (4.0+).
      const asIndex = new Set(modern ? ['condition', 'include', 'deferrable'] : ['condition']);
      const index =
        constraint.className === 'UniqueConstraint' &&
        (constraint.call.kwargs.some((k) => asIndex.has(k.name)) || (modern && constraint.call.args.length > 0));
      return index ? undefined : 'AddConstraint';
    }
    case 'RemoveConstraint':
      return 'RemoveConstraint';
    default:
      return undefined;
  }
}

/**
 * No rebuild for the change: the schema editor's `_field_should_be_altered` is false (the same
 * class, arguments and keywords but for those the schema does not hold, `choices` among them
 * from 4.1, as written), or only the column is renamed. A keyword written out with its default
 * value, or anything not read statically, counts as a change.
 */
function onlySchemaFreeChanges(before: FieldCall, after: FieldCall, django: ServerVersion): boolean {
  if (before.className !== after.className || !isReadable(before) || !isReadable(after)) return false;
  const ignored = new Set(versionBefore(django, [4, 1]) ? NON_DB_ATTRS_32 : [...NON_DB_ATTRS_32, 'choices']);
  const kept = (field: FieldCall) =>
    Object.fromEntries(
      field.call.kwargs
        .filter((k) => !ignored.has(k.name))
        .map((k) => [k.name, valueKey(k.value)])
        .sort(([a], [b]) => (a < b ? -1 : 1)),
    );
  const same =
    JSON.stringify([before.call.args.map(valueKey), kept(before)]) === JSON.stringify([after.call.args.map(valueKey), kept(after)]);
  // A new db_column alone is ALTER TABLE ... RENAME COLUMN, unless a foreign key constraint names the column.
  const renameInPlace = !isRelation(after) || booleanKeyword(after, 'db_constraint', true) === false;
  const sameColumn = valueKey(fieldKeyword(before, 'db_column')) === valueKey(fieldKeyword(after, 'db_column'));
  return same && (renameInPlace || sameColumn) && !/"opaque"/.test(JSON.stringify(after.call));
}

/** A value as comparable text, without its place in the file. */
function valueKey(value: PythonValue | undefined): string {
  return JSON.stringify(value ?? null, (key, item: unknown) =>
    key === 'range' || key === 'calleeRange' || key === 'nameRange' ? undefined : item,
  );
}

/** Django 3.2's `non_database_attrs`; 4.1 added `choices` (`Field.non_db_attrs`). */
const NON_DB_ATTRS_32 = [
  'blank',
  'db_column',
  'editable',
  'error_messages',
  'help_text',
  'limit_choices_to',
  'on_delete',
  'related_name',
  'related_query_name',
  'validators',
  'verbose_name',
];

/** Django 4.0+'s add_field: a column ALTER TABLE ADD COLUMN cannot add; undefined when an argument cannot be read. */
function addsWithRebuild(field: FieldCall): boolean | undefined {
  const flags = [
    booleanKeyword(field, 'primary_key', false),
    booleanKeyword(field, 'unique', false),
    booleanKeyword(field, 'null', false) === undefined ? undefined : !booleanKeyword(field, 'null', false),
    booleanKeyword(field, 'auto_now', false),
    booleanKeyword(field, 'auto_now_add', false),
  ];
  if (flags.includes(true)) return true;
  const defaultValue = fieldKeyword(field, 'default');
  if (defaultValue && !(defaultValue.kind === 'constant' && defaultValue.value === null)) return true;
  // Django 5.0+: a db_default that is an expression other than Value() (a literal becomes Value()).
  const dbDefault = fieldKeyword(field, 'db_default');
  if (dbDefault?.kind === 'call' && lastNamePart(dbDefault.callee) !== 'Value') return true;
  return flags.includes(undefined) ? undefined : false;
}
