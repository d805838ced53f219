import * as assert from 'node:assert/strict';
import {
  BuiltCommand,
  makemigrationsCommand,
  mergeCommand,
  migrateCommand,
  showmigrationsCommand,
  squashmigrationsCommand,
} from '../../../client/src/commands/managePyCommand';

function args(built: BuiltCommand): readonly string[] {
  assert.ok(built.ok, built.ok ? '' : built.message);
  return built.command.args;
}

function problem(built: BuiltCommand): string {
  assert.equal(built.ok, false);
  return built.ok ? '' : built.message;
}

describe('manage.py argument lists', () => {
  const cases: Array<[string, BuiltCommand, readonly string[]]> = [
    ['makemigrations, all apps', makemigrationsCommand({}), ['makemigrations']],
    [
      'makemigrations for two apps with a name',
      makemigrationsCommand({ apps: ['shop', 'blog'], name: 'add_stock' }),
      ['makemigrations', 'shop', 'blog', '--name', 'add_stock'],
    ],
    [
      'makemigrations --empty without questions',
      makemigrationsCommand({ apps: ['shop'], empty: true, interactive: false }),
      ['makemigrations', 'shop', '--empty', '--noinput'],
    ],
    ['makemigrations --dry-run', makemigrationsCommand({ dryRun: true }), ['makemigrations', '--dry-run']],
    ['merge one app', mergeCommand({ apps: ['shop'] }), ['makemigrations', 'shop', '--merge']],
    ['migrate everything', migrateCommand({}), ['migrate']],
    [
      'migrate an app to zero on another database',
      migrateCommand({ app: 'shop', target: 'zero', database: 'replica' }),
      ['migrate', 'shop', 'zero', '--database', 'replica'],
    ],
    [
      'migrate with --fake and --fake-initial',
      migrateCommand({ app: 'shop', fake: true, fakeInitial: true, interactive: false }),
      ['migrate', 'shop', '--fake', '--fake-initial', '--noinput'],
    ],
    ['migrate --plan', migrateCommand({ plan: true }), ['migrate', '--plan']],
    [
      'squashmigrations with every option',
      squashmigrationsCommand({ app: 'shop', start: '0002', end: '0005', squashedName: 'compact', noOptimize: true, interactive: false }),
      ['squashmigrations', 'shop', '0002', '0005', '--squashed-name', 'compact', '--no-optimize', '--noinput'],
    ],
    [
      'squashmigrations up to one migration',
      squashmigrationsCommand({ app: 'shop', end: '0004_order' }),
      ['squashmigrations', 'shop', '0004_order'],
    ],
    [
      'migrate to a migration whose name starts with -: after --, with the options before',
      migrateCommand({ app: 'shop', target: '--fake', database: '-replica', interactive: false }),
      ['migrate', '--database=-replica', '--noinput', '--', 'shop', '--fake'],
    ],
    [
      'squash up to a migration whose name starts with -',
      squashmigrationsCommand({ app: 'shop', end: '-x' }),
      ['squashmigrations', '--', 'shop', '-x'],
    ],
    [
      'makemigrations for an app whose label starts with -',
      makemigrationsCommand({ apps: ['-app'], dryRun: true }),
      ['makemigrations', '--dry-run', '--', '-app'],
    ],
    [
      'showmigrations never gets --noinput',
      showmigrationsCommand({ apps: ['shop'], database: 'replica' }),
      ['showmigrations', 'shop', '--database', 'replica'],
    ],
  ];
  for (const [title, built, expected] of cases) {
    it(title, () => assert.deepEqual(args(built), expected));
  }

  it('marks what may ask questions, and names each command as typed', () => {
    const merge = mergeCommand({ apps: ['shop'] });
    const quiet = mergeCommand({ apps: ['shop'], interactive: false });
    const show = showmigrationsCommand();
    assert.ok(merge.ok && quiet.ok && show.ok);
    assert.deepEqual([merge.command.interactive, quiet.command.interactive, show.command.interactive], [true, false, false]);
    assert.equal(merge.command.title, 'manage.py makemigrations shop --merge');
    assert.equal(quiet.command.title, 'manage.py makemigrations shop --merge');
  });

  it('refuses choices Django would refuse, with a reason', () => {
    assert.match(problem(makemigrationsCommand({ empty: true })), /needs an app/);
    assert.match(problem(makemigrationsCommand({ apps: ['shop'], name: '2fast' })), /valid Python identifier/);
    assert.match(problem(makemigrationsCommand({ apps: ['shop'], name: 'add-stock' })), /valid Python identifier/);
    assert.match(problem(migrateCommand({ target: '0002' })), /needs its app/);
    assert.match(problem(squashmigrationsCommand({ app: 'shop', start: '0003', end: '0003' })), /same migration/);
    assert.match(problem(squashmigrationsCommand({ app: 'shop', end: '0003', squashedName: 'not ok' })), /valid Python identifier/);
    assert.deepEqual(args(makemigrationsCommand({ apps: ['shop'], name: 'données_initiales' })), [
      'makemigrations',
      'shop',
      '--name',
      'données_initiales',
    ]);
  });
});
