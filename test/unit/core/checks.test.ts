import * as assert from 'node:assert/strict';
import { runGraphChecks, runMigrationChecks } from '../../../server/src/core/checks/index';
import { modelImportInDataMigration } from '../../../server/src/core/checks/modelImportInDataMigration';
import { buildGraph, LoaderInput } from '../../../server/src/core/loader';
import { Migration, ParsedMigration } from '../../../server/src/core/migration';
import { FILE_START } from '../../../server/src/core/sourceRange';
import { migration, operation } from './migrationBuilder';

/** Every check of core/checks on in-memory migrations: `code severity app.name`, sorted. */
function check(migrations: Migration[], extra: Partial<LoaderInput> = {}): string[] {
  const loaded = buildGraph({
    migrations,
    migratedApps: new Set(migrations.map((m) => m.appLabel)),
    unmigratedApps: new Set(),
    externalApps: new Set(),
    applied: new Map(),
    swappableSettings: new Map([['AUTH_USER_MODEL', 'auth.User']]),
    ...extra,
  });
  // The project resolves imports through its models; here only shop.models.Order is a model.
  const isModel = (module: string, name: string) => module === 'shop.models' && name === 'Order';
  const problems = [
    ...runGraphChecks(loaded),
    ...migrations.flatMap(runMigrationChecks),
    ...migrations.flatMap((m) => modelImportInDataMigration(m, isModel)),
  ];
  return problems.map((p) => `${p.code} ${p.severity} ${p.file.replace(/^\/project\/(\w+)\/migrations\/(\w+)\.py$/, '$1.$2')}`).sort();
}

const withParsed = (m: Migration, parsed: Partial<ParsedMigration>): Migration => ({ ...m, parsed: { ...m.parsed, ...parsed } });
const initial = (app = 'shop') => migration(app, '0001_initial');
const after = (app: string, name: string, parent: [string, string], extra = {}) => migration(app, name, [parent], extra);
const runPython = (kwargs: Record<string, { name: string }> = {}) => operation('RunPython', [], { code: { name: 'forwards' }, ...kwargs });

// prettier-ignore
const cases: [title: string, migrations: Migration[], expected: string[], extra?: Partial<LoaderInput>][] = [
  ['a healthy chain has no problem', [initial(), after('shop', '0002_order', ['shop', '0001_initial'])], []],
  ['a dependency on a migration that does not exist', [initial(), after('shop', '0002_order', ['shop', '0009_gone'])], ['missing-dependency error shop.0002_order']],
  ['__first__ of an app that is not installed', [after('shop', '0001_initial', ['nowhere', '__first__'])], ['unknown-app error shop.0001_initial']],
  ['a named migration of an app not installed is a missing node (check_key)', [after('shop', '0001_initial', ['nowhere', '0001_initial'])], ['missing-dependency error shop.0001_initial']],
  ['a dependency on an external app is fine', [after('shop', '0001_initial', ['auth', '0012_x'])], [], { externalApps: new Set(['auth']) }],
  ['a swappable dependency whose setting is unknown', [migration('shop', '0001_initial', [{ swappable: 'CUSTOM_MODEL' }])], ['unresolved-swappable-dependency information shop.0001_initial']],
  ['a circular dependency, reported on each migration of the cycle', [after('shop', '0001_initial', ['blog', '0001_initial']), after('blog', '0001_initial', ['shop', '0001_initial'])], ['circular-dependency error blog.0001_initial', 'circular-dependency error shop.0001_initial']],
  ['two leaves in one app conflict', [initial(), after('shop', '0002_a', ['shop', '0001_initial']), after('shop', '0002_b', ['shop', '0001_initial'])], ['conflicting-leaves error shop.0002_a', 'conflicting-leaves error shop.0002_b']],
  ['a squash whose replaced files are gone is unfinished', [migration('shop', '0001_squashed_0002', [], { replaces: [['shop', '0001_initial'], ['shop', '0002_order']] })], ['unfinished-squash information shop.0001_squashed_0002']],
  ['a squash beside what it replaces is fine', [initial(), after('shop', '0002_order', ['shop', '0001_initial']), migration('shop', '0001_squashed_0002', [], { replaces: [['shop', '0001_initial'], ['shop', '0002_order']] })], []],
  ['a dependency on a migration a squash replaces', [initial(), after('shop', '0002_order', ['shop', '0001_initial']), migration('shop', '0001_squashed_0002', [], { replaces: [['shop', '0001_initial'], ['shop', '0002_order']] }), after('blog', '0001_initial', ['shop', '0001_initial'])], ['dependency-on-replaced-migration warning blog.0001_initial']],
  ['RunPython without reverse_code is irreversible', [migration('shop', '0001_initial', [], { operations: [runPython()] })], ['irreversible-operation warning shop.0001_initial']],
  ['RunPython with reverse_code is reversible', [migration('shop', '0001_initial', [], { operations: [runPython({ reverse_code: { name: 'backwards' } })] })], []],
  ['RunSQL without reverse_sql is irreversible', [migration('shop', '0001_initial', [], { operations: [operation('RunSQL', ['DELETE FROM shop_order'])] })], ['irreversible-operation warning shop.0001_initial']],
  ['a RunPython function that uses a model class imported directly', [withParsed(migration('shop', '0001_initial', [], { operations: [runPython({ reverse_code: { name: 'backwards' } })] }), { runPythonImports: [{ module: 'shop.models', name: 'Order', range: FILE_START }] })], ['model-import-in-data-migration warning shop.0001_initial']],
  ['a RunPython function that uses a constant of a models module', [withParsed(migration('shop', '0001_initial', [], { operations: [runPython({ reverse_code: { name: 'backwards' } })] }), { runPythonImports: [{ module: 'shop.models', name: 'STATUS_NEW', range: FILE_START }] })], []],
  ['a schema migration may import models', [withParsed(initial(), { imports: [{ module: 'shop.models', names: ['Order'], range: FILE_START }] })], []],
  ['a file without a Migration class', [withParsed(initial(), { hasMigrationClass: false })], ['missing-migration-class error shop.0001_initial']],
  ['a syntax error', [withParsed(initial(), { syntaxErrors: [FILE_START] })], ['syntax-error error shop.0001_initial']],
  ['a construct known only when Python runs it', [withParsed(initial(), { dynamic: [{ description: 'dependencies built by a call', range: FILE_START }] })], ['dynamic-migration information shop.0001_initial']],
];

describe('core/checks', () => {
  for (const [title, migrations, expected, extra] of cases) {
    it(title, () => assert.deepEqual(check(migrations, extra), expected));
  }
});
