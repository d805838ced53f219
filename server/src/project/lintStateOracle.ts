import * as fs from 'node:fs';
import { callText } from '../core/lints/fixEdits';
import { MigrationStateOracle } from '../core/lints/lintRule';
import { Migration, MigrationKey, migrationKey } from '../core/migration';
import { lastNamePart, PythonCall, PythonValue } from '../core/pythonValue';
import { truthy } from '../core/stateValues';
import { togetherGroups } from '../core/lints/rules/concurrentUniqueTogetherFix';
import { SourceRange } from '../core/sourceRange';
import { relationArgument, relationKind, resolveRelation } from '../core/relations';
import { FieldState, ModelState, ProjectState } from '../core/state';
import { decodeSource } from './sourceText';
import { MigrationProject } from './migrationProject';

/** What says which migrations ship together with the one linted: the deploy it belongs to. */
export interface LintDeploy {
  /**
   * The applied migrations of each database whose `django_migrations` could be read and holds
   * rows (a database nobody migrated says nothing). What is not applied there ships in this deploy.
   */
  readonly applied?: readonly ReadonlySet<MigrationKey>[];
  /** The migration files the branch adds (`check --changed-since`): they ship together. */
  readonly branchFiles?: ReadonlySet<string>;
}

/**
 * What Django's ProjectState knew just before a migration, for the lint rules: a field's
 * definition as the migration that last wrote it spelled it, and whether a model's table
 * existed before this deploy. Unknown state answers nothing, so the rules fall back to what the
 * file itself shows.
 */
export function lintStateOracle(project: MigrationProject, key: MigrationKey, deploy: LintDeploy = {}): MigrationStateOracle {
  let before: ProjectState | undefined | null = null;
  const state = () => (before === null ? (before = project.migrationStates().stateBefore(key)) : before);
  const migrations = () => project.loaderResult().diskMigrations;
  return {
    tableExistedBefore(app, model) {
      const known = state();
      if (!known || known.unknownApps.has(app)) return undefined;
      const creator = creatingMigration(known.getModel(app, model), migrations());
      const linted = migrations().get(key);
      if (!creator || !linted) return undefined;
      return tableExisted(linted, creator, deploy);
    },
    fieldBefore(app, model, field) {
      const known = state();
      if (!known || known.unknownApps.has(app)) return undefined;
      const written = known.getModel(app, model)?.getField(field);
      if (!written?.origin || written.unknown) return undefined;
      const operation = project.loaderResult().diskMigrations.get(written.origin.migration)?.parsed.operations[
        written.origin.operationIndex
      ];
      return operation && callAt(operation.call, written.origin.range);
    },
    fieldSourceBefore(app, model, field) {
      const call = this.fieldBefore?.(app, model, field);
      const written = state()?.getModel(app, model)?.getField(field);
      if (!call || !written?.origin || !heldAsWritten(written, call)) return undefined;
      const file = migrations().get(written.origin.migration)?.path;
      const text = file === undefined ? undefined : readText(file);
      return text === undefined ? undefined : callText(text, call);
    },
    tableNameBefore(app, model) {
      const known = state();
      const found = known?.getModel(app, model);
      if (!known || known.unknownApps.has(app) || !found || found.isUnknown) return undefined;
      const table = found.options.get('db_table');
      if (table === undefined) return `${app}_${found.nameLower}`;
      return table.kind === 'str' ? table.value : undefined;
    },
    hasAutoManyToManyBefore(app, model) {
      const known = state();
      if (!known || known.unknownApps.size > 0) return undefined;
      let unknown = false;
      for (const other of known.models.values()) {
        if (other.isUnknown) unknown = true;
        for (const field of other.fields.values()) {
          if (field.unknown) unknown = true;
          if (relationKind(field) !== 'manyToMany' || field.kwargs.has('through')) continue;
          if (other.appLabel === app && other.nameLower === model.toLowerCase()) return true;
          const target = resolveRelation(relationArgument(field, 'to'), [other.appLabel, other.nameLower], known.swappableSettings);
          if (!target) unknown = true;
          else if (target[0] === app && target[1] === model.toLowerCase()) return true;
        }
      }
      return unknown ? undefined : false;
    },
    relationTargetBefore(app, model, to) {
      const known = state();
      const target = known && resolveRelation(to, [app, model.toLowerCase()], known.swappableSettings);
      const found = target && known.getModel(target[0], target[1]);
      if (!known || !found || found.isUnknown || known.unknownApps.has(found.appLabel)) return undefined;
      const table = this.tableNameBefore?.(found.appLabel, found.nameLower);
      const primaryKeys = [...found.fields.values()].filter((field) => truthy(field.kwargs.get('primary_key')) === true);
      const [primaryKey] = primaryKeys;
      if (table === undefined || primaryKeys.length !== 1 || primaryKey.unknown || relationKind(primaryKey)) return undefined;
      const dbColumn = primaryKey.kwargs.get('db_column');
      if (dbColumn !== undefined && dbColumn.kind !== 'str') return undefined;
      return { table, column: dbColumn?.value ?? primaryKey.name, fieldClass: lastNamePart(primaryKey.path) };
    },
    uniqueTogetherBefore(app, model) {
      const known = state();
      const found = known?.getModel(app, model);
      if (!known || known.unknownApps.has(app) || !found || found.isUnknown) return undefined;
      const option = found.options.get('unique_together');
      return option === undefined ? [] : togetherGroups(option);
    },
  };
}

/**
 * The migration whose CreateModel made the model's table, when the state knows it for sure: not
 * a model an unreadable operation touched, nor one created in the state only
 * (SeparateDatabaseAndState), unmanaged or a proxy (no table of its own).
 */
function creatingMigration(model: ModelState | undefined, migrations: ReadonlyMap<MigrationKey, Migration>): Migration | undefined {
  if (!model?.created || model.isUnknown) return undefined;
  const migration = migrations.get(model.created.migration);
  if (migration?.parsed.operations[model.created.operationIndex]?.type !== 'CreateModel') return undefined;
  const option = (name: string) => model.options.get(name);
  const managed = option('managed');
  const proxy = option('proxy');
  if (managed && !(managed.kind === 'constant' && managed.value === true)) return undefined;
  if (proxy && !(proxy.kind === 'constant' && proxy.value === false)) return undefined;
  return migration;
}

/**
 * Whether the creating migration had reached production before the linted one's deploy. A
 * database that has the creator applied, or a branch that does not add it, says the table
 * existed; every one that knows must agree before the table counts as new (false). A database
 * where the linted migration is already applied cannot tell which deploy the two came in.
 */
function tableExisted(linted: Migration, creator: Migration, deploy: LintDeploy): boolean | undefined {
  let answer: boolean | undefined;
  for (const applied of deploy.applied ?? []) {
    if (isApplied(applied, linted)) continue;
    if (isApplied(applied, creator)) return true;
    answer = false;
  }
  if (deploy.branchFiles?.has(linted.path)) {
    if (!deploy.branchFiles.has(creator.path)) return true;
    answer = false;
  }
  return answer;
}

/** Applied as Django's loader counts it: recorded, or a squash whose replaced migrations all are. */
function isApplied(applied: ReadonlySet<MigrationKey>, migration: Migration): boolean {
  if (applied.has(migrationKey(migration.appLabel, migration.name))) return true;
  const replaces = migration.parsed.replaces;
  return replaces.length > 0 && replaces.every((entry) => applied.has(migrationKey(entry.app, entry.name)));
}

/** Whether the state's field is the call as written: no later operation replaced one of its arguments. */
function heldAsWritten(field: FieldState, call: PythonCall): boolean {
  return (
    field.args.length === call.args.length &&
    field.args.every((value, index) => value === call.args[index]) &&
    field.kwargs.size === call.kwargs.length &&
    call.kwargs.every((keyword) => field.kwargs.get(keyword.name) === keyword.value)
  );
}

/** A migration file's text as Python decodes it; undefined when it cannot be read. */
function readText(file: string): string | undefined {
  try {
    return decodeSource(fs.readFileSync(file)).text;
  } catch {
    return undefined;
  }
}

/** The call inside `value` that spans exactly `range`. */
function callAt(value: PythonValue, range: SourceRange): PythonCall | undefined {
  if (value.kind === 'call') {
    if (sameRange(value.range, range)) return value;
    for (const inner of [...value.args, ...value.kwargs.map((keyword) => keyword.value)]) {
      const found = callAt(inner, range);
      if (found) return found;
    }
  }
  if (value.kind === 'list' || value.kind === 'tuple' || value.kind === 'set') {
    for (const item of value.items) {
      const found = callAt(item, range);
      if (found) return found;
    }
  }
  if (value.kind === 'dict') {
    for (const entry of value.entries) {
      const found = callAt(entry.value, range);
      if (found) return found;
    }
  }
  return undefined;
}

function sameRange(a: SourceRange, b: SourceRange): boolean {
  return (
    a.start.line === b.start.line &&
    a.start.character === b.start.character &&
    a.end.line === b.end.line &&
    a.end.character === b.end.character
  );
}
