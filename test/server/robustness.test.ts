import * as assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { Diagnostic, DidChangeWatchedFilesNotification, FileChangeType, Position } from 'vscode-languageserver-protocol';
import { seededRandom } from '../support/seededRandom';
import { fileUri, LspClient } from './lspClient';
import { classNameRange, rangeInFile } from './sourceRanges';
import { djangoProject, TemporaryWorkspace } from './temporaryWorkspace';

const EDITS = 200;

/** Written with a UTF-8 byte order mark and Windows line endings, both of which Python accepts. */
const BOM_CRLF_INITIAL =
  '\uFEFF' +
  [
    'from django.db import migrations, models',
    '',
    '',
    'class Migration(migrations.Migration):',
    '',
    '    initial = True',
    '',
    '    dependencies = []',
    '',
    '    operations = [',
    '        migrations.CreateModel(',
    "            name='Order',",
    "            fields=[('id', models.AutoField(primary_key=True))],",
    '        ),',
    '    ]',
    '',
  ].join('\r\n');

/**
 * Latin-1 bytes (0xE9, "é"): Python 3.11-3.13 skip the one in the comment, and refuse the file
 * for the one in a string, as not UTF-8.
 */
const LATIN1_LEGACY = Buffer.concat([
  Buffer.from('# Migrated from the caf'),
  Buffer.from([0xe9]),
  Buffer.from(
    [
      ' ordering system.',
      'from django.db import migrations, models',
      '',
      '',
      'class Migration(migrations.Migration):',
      '',
      '    dependencies = [',
      "        ('orders', '0001_initial'),",
      '    ]',
      '',
      '    operations = [',
      "        migrations.AddField(model_name='order', name='note', field=models.TextField(default='caf",
    ].join('\n'),
  ),
  Buffer.from([0xe9]),
  Buffer.from(["')),", '    ]', ''].join('\n')),
]);

/** Classic Mac line endings (CR only): Python reads them as line breaks, and so does LSP. */
const CR_INITIAL = [
  '# Saved by an old editor.',
  'from django.db import migrations, models',
  '',
  '',
  'class Migration(migrations.Migration):',
  '',
  '    initial = True',
  '',
  '    dependencies = []',
  '',
  '    operations = [',
  "        migrations.CreateModel(name='Entry', fields=[('id', models.AutoField(primary_key=True))]),",
  '    ]',
  '',
].join('\r');

const CR_CHILD = `from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('journal', '0001_initial'),
    ]

    operations = [
        migrations.AddField(model_name='entry', name='body', field=models.TextField(default='')),
    ]
`;

const BACKFILL = `from django.db import migrations


def fill_notes(apps, schema_editor):
    apps.get_model('orders', 'Order').objects.update(note='-')


class Migration(migrations.Migration):

    dependencies = [
        ('orders', '0002_legacy'),
    ]

    operations = [
        migrations.RunPython(fill_notes),
    ]
`;

/** A workspace folder that is not a Django project at all. */
const PLAIN_FILES = {
  'README.md': '# Tools\n',
  'src/app.py': 'import sys\n\n\ndef main():\n    print(sys.argv)\n',
  'alembic/versions/1a2b_initial.py': [
    'from alembic import op',
    'import sqlalchemy as sa',
    '',
    "revision = '1a2b'",
    'down_revision = None',
    '',
    '',
    'def upgrade():',
    "    op.create_table('order', sa.Column('id', sa.Integer, primary_key=True))",
    '',
  ].join('\n'),
};

describe('server: robustness', function () {
  let workspace: TemporaryWorkspace;
  let client: LspClient;
  const dirs: Record<string, string> = {};

  before(async function () {
    workspace = await TemporaryWorkspace.create();
    dirs.squashed = await workspace.copyFixture('squashed');
    dirs.encodings = await workspace.writeProject(
      'encodings',
      djangoProject(['orders'], {
        'orders/migrations/0001_initial.py': BOM_CRLF_INITIAL,
        'orders/migrations/0002_legacy.py': LATIN1_LEGACY,
        'orders/migrations/0003_backfill.py': BACKFILL,
      }),
    );
    dirs.plain = await workspace.writeProject('plain', PLAIN_FILES);
    dirs.carriageReturns = await workspace.writeProject(
      'carriage_returns',
      djangoProject(['journal'], { 'journal/migrations/0001_initial.py': CR_INITIAL, 'journal/migrations/0002_entry_body.py': CR_CHILD }),
    );
    ({ client } = await LspClient.start({ folders: Object.values(dirs) }));
  });

  after(async function () {
    await client?.shutdown().catch(() => client.kill());
    await workspace?.dispose();
  });

  const file = (project: string, relative: string) => path.join(dirs[project], relative);

  it(`answers every request through ${EDITS} random edits, then gives back exactly the original diagnostics`, async function () {
    const migrations = migrationFiles(dirs.squashed);
    const baseline = new Map<string, Diagnostic[]>();
    for (const migration of migrations) baseline.set(migration, await client.diagnostics(migration));
    assert.ok(
      [...baseline.values()].some((d) => d.length > 0),
      'the squashed project has diagnostics to come back to',
    );

    // The squash: every edit of it changes how the loader replaces migrations across the project.
    const target = file('squashed', 'shop/migrations/0001_squashed_0003_product_sku.py');
    const original = readFileSync(target, 'utf8');
    const uri = await client.open(target, original);
    const random = seededRandom(20261121);
    const other = migrations.filter((m) => m !== target);
    for (let i = 0; i < EDITS; i++) {
      const document = client.document(uri);
      const text = document.getText();
      const edit = randomEdit(text, original, random);
      await client.edit(uri, { start: document.positionAt(edit.start), end: document.positionAt(edit.end) }, edit.text);
      const current = client.document(uri);

      const diagnostics = await client.diagnostics(uri);
      for (const diagnostic of diagnostics) {
        assert.equal(diagnostic.source, 'django-migrations');
        assertInside(current.getText(), diagnostic.range.start, `edit ${i}: ${JSON.stringify(diagnostic)}`);
        assertInside(current.getText(), diagnostic.range.end, `edit ${i}: ${JSON.stringify(diagnostic)}`);
      }
      const position = randomPosition(current.getText(), random);
      switch (i % 5) {
        case 0:
          await client.hover(uri, position);
          break;
        case 1:
          await client.definition(uri, position);
          break;
        case 2:
          await client.references(uri, position, true);
          break;
        case 3:
          await client.documentSymbols(uri);
          await client.codeActions(uri, { start: position, end: position }, diagnostics);
          break;
        case 4:
          await client.diagnostics(other[i % other.length]);
          await client.workspaceSymbols('shop');
          break;
      }
    }
    assert.ok(client.running);

    await client.change(uri, original);
    for (const migration of migrations) {
      assert.deepEqual(await client.diagnostics(migration), baseline.get(migration), migration);
    }
    await client.close(uri);
    assert.deepEqual(client.featureFailures, [], 'no feature threw on the way');
  });

  it('answers every request for a folder without Django with empty results', async function () {
    const app = file('plain', 'src/app.py');
    const alembic = file('plain', 'alembic/versions/1a2b_initial.py');
    const position = { line: 8, character: 10 };
    for (const target of [app, alembic, file('plain', 'README.md')]) {
      assert.deepEqual(await client.diagnostics(target), []);
      assert.equal(await client.hover(target, position), null);
      assert.deepEqual(await client.definition(target, position), []);
      assert.deepEqual(await client.references(target, position, true), []);
      assert.deepEqual(await client.documentSymbols(target), []);
      assert.deepEqual(await client.codeActions(target, { start: position, end: position }, []), []);
    }
    const uri = await client.open(alembic, readFileSync(alembic, 'utf8'));
    await client.edit(uri, { start: { line: 3, character: 0 }, end: { line: 3, character: 0 } }, 'from django.db import migrations\n');
    assert.deepEqual(await client.diagnostics(uri), []);
    assert.deepEqual(await client.documentSymbols(uri), []);
    await client.close(uri);
    // Documents that are not files at all.
    assert.deepEqual(await client.diagnostics('untitled:Untitled-1'), []);
    assert.equal(await client.hover('untitled:Untitled-1', position), null);
    // The Django projects of the other folders are what workspace symbols find; nothing of this one.
    const symbols = (await client.workspaceSymbols('')) ?? [];
    assert.ok(symbols.length > 0);
    assert.ok(symbols.every((s) => 'location' in s && !s.location.uri.startsWith(fileUri(dirs.plain))));
  });

  it('reports a non-UTF-8 migration clearly and keeps the rest of the project working', async function () {
    const legacy = file('encodings', 'orders/migrations/0002_legacy.py');
    const [encoding, ...others] = await client.diagnostics(legacy);
    assert.equal(others.length, 0, JSON.stringify(others));
    assert.equal(encoding.code, 'syntax-error');
    assert.equal(encoding.source, 'django-migrations');
    assert.match(encoding.message, /'utf-8' codec can't decode/);
    // Where Python fails: the byte in the string, not the one in the first line's comment.
    assert.deepEqual(encoding.range.start, { line: 11, character: 96 });

    // The file is still read: its class, its dependency and its operation take part in the graph.
    const backfill = file('encodings', 'orders/migrations/0003_backfill.py');
    assert.deepEqual(
      (await client.diagnostics(backfill)).map((d) => d.code),
      ['irreversible-operation'],
    );
    const legacyClass = { line: 4, character: 6 };
    assert.deepEqual(await client.definition(backfill, rangeInFile(backfill, "'0002_legacy'").start), [
      { uri: fileUri(legacy), range: { start: legacyClass, end: { line: 4, character: 15 } } },
    ]);
    const hover = await client.hover(backfill, rangeInFile(backfill, "'0002_legacy'").start);
    assert.match((hover?.contents as { value: string }).value, /- Add field note to order/);
  });

  it('reads a migration with a byte order mark and Windows line endings at the right positions', async function () {
    const initial = file('encodings', 'orders/migrations/0001_initial.py');
    assert.deepEqual(await client.diagnostics(initial), []);
    const [symbol] = ((await client.documentSymbols(initial)) ?? []) as {
      selectionRange: unknown;
      children?: { selectionRange: unknown }[];
    }[];
    const text = BOM_CRLF_INITIAL.slice(1).replace(/\r\n/g, '\n');
    assert.deepEqual(symbol.selectionRange, classNameRange(text));
    assert.deepEqual(symbol.children?.[0].selectionRange, rangeInFile(initial, 'migrations.CreateModel'));
  });

  it('reads a migration with CR-only line endings as Python does', async function () {
    const initial = file('carriageReturns', 'journal/migrations/0001_initial.py');
    const child = file('carriageReturns', 'journal/migrations/0002_entry_body.py');
    assert.deepEqual(await client.diagnostics(initial), [], 'Python imports this file and finds its Migration class');
    assert.deepEqual(await client.diagnostics(child), []);
    const classLine = { start: { line: 4, character: 6 }, end: { line: 4, character: 15 } };
    assert.deepEqual(await client.definition(child, rangeInFile(child, "'0001_initial'").start), [
      { uri: fileUri(initial), range: classLine },
    ]);
    const [symbol] = ((await client.documentSymbols(initial)) ?? []) as { selectionRange: unknown }[];
    assert.deepEqual(symbol?.selectionRange, classLine);
  });

  it('notices when a closed migration becomes non-UTF-8 on disk, and when it is fixed', async function () {
    const initial = file('encodings', 'orders/migrations/0001_initial.py');
    const changedOnDisk = () =>
      client.connection.sendNotification(DidChangeWatchedFilesNotification.type, {
        changes: [{ uri: fileUri(initial), type: FileChangeType.Changed }],
      });
    await fs.writeFile(initial, Buffer.concat([Buffer.from("NOTE = '\xff'\n", 'latin1'), Buffer.from(BOM_CRLF_INITIAL.slice(1))]));
    try {
      await changedOnDisk();
      const diagnostics = await client.diagnosticsWhen(initial, (items) => items.length > 0);
      assert.deepEqual(
        diagnostics.map((d) => [d.code, /'utf-8' codec can't decode/.test(d.message)]),
        [['syntax-error', true]],
        'the same file gets this diagnostic when it is read at start-up',
      );
    } finally {
      await fs.writeFile(initial, BOM_CRLF_INITIAL);
      await changedOnDisk();
    }
    assert.deepEqual(await client.diagnosticsWhen(initial, (items) => items.length === 0), []);
  });
});

interface RandomEdit {
  readonly start: number;
  readonly end: number;
  readonly text: string;
}

const GARBAGE = [
  '\0',
  '\x01',
  '\x7f',
  '\uFFFD',
  '😀',
  'é',
  '\t',
  '\n',
  '\r\n',
  '\\',
  "'",
  '"',
  '"""',
  '(',
  ')',
  '[',
  ']',
  '{',
  '}',
  ',',
  ':',
  '=',
  '#',
  ' ',
  'class ',
  'def ',
  'migrations.',
  'replaces',
  "('shop', '",
  '0002_product_price',
  '__first__',
];

/** One editor change: a truncation, garbage typed in, lines deleted, or a piece of the original pasted back. */
function randomEdit(text: string, original: string, random: () => number): RandomEdit {
  const at = (limit: number) => Math.floor(random() * (limit + 1));
  switch (Math.floor(random() * 5)) {
    case 0: {
      const start = at(text.length);
      return { start, end: text.length, text: '' };
    }
    case 1: {
      const start = at(text.length);
      let garbage = '';
      for (let n = 1 + at(6); n > 0; n--) garbage += GARBAGE[Math.floor(random() * GARBAGE.length)];
      return { start, end: start + (random() < 0.3 ? Math.min(at(5), text.length - start) : 0), text: garbage };
    }
    case 2: {
      const starts = [0];
      for (let i = 0; i < text.length; i++) if (text[i] === '\n') starts.push(i + 1);
      const first = Math.floor(random() * starts.length);
      const last = Math.min(starts.length - 1, first + at(3));
      return { start: starts[first], end: last + 1 < starts.length ? starts[last + 1] : text.length, text: '' };
    }
    default: {
      const from = at(original.length);
      const piece = original.slice(from, from + at(120));
      const start = at(text.length);
      return { start, end: Math.min(text.length, start + at(40)), text: piece };
    }
  }
}

/** Usually inside the text, sometimes past its last line or character, as a stale editor may ask. */
function randomPosition(text: string, random: () => number): Position {
  const lines = text.split('\n');
  const line = Math.floor(random() * (lines.length + 2));
  const length = lines[line]?.length ?? 0;
  return { line, character: Math.floor(random() * (length + 3)) };
}

function assertInside(text: string, position: Position, message: string): void {
  const lines = text.split(/\r\n|\r|\n/);
  assert.ok(position.line < lines.length, `line ${position.line} of ${lines.length}: ${message}`);
  assert.ok(
    position.character <= lines[position.line].length,
    `character ${position.character} of ${lines[position.line].length}: ${message}`,
  );
}

function migrationFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((entry) => /(^|\/)migrations\/\d{4}_[^/]*\.py$/.test(entry))
    .map((entry) => path.join(dir, entry))
    .sort();
}
