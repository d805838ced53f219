import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { MarkupContent } from 'vscode-languageserver-protocol';
import { fileUri, LspClient } from './lspClient';
import { rangeInFile } from './sourceRanges';
import { TemporaryWorkspace } from './temporaryWorkspace';

/** Hover, definition and references follow a model or field through its migrations (state_operations). */
describe('server: model and field history', function () {
  let workspace: TemporaryWorkspace;
  let client: LspClient;
  let dir: string;

  before(async function () {
    workspace = await TemporaryWorkspace.create();
    dir = await workspace.copyFixture('state_operations');
    ({ client } = await LspClient.start({ folders: [dir] }));
  });

  after(async function () {
    await client?.shutdown().catch(() => client.kill());
    await workspace?.dispose();
  });

  const migration = (app: string, name: string) => path.join(dir, app, 'migrations', `${name}.py`);
  const inside = (file: string, snippet: string, offset: number, occurrence = 0) => {
    const start = rangeInFile(file, snippet, occurrence).start;
    return { line: start.line, character: start.character + offset };
  };
  const hoverText = async (file: string, position: { line: number; character: number }) =>
    ((await client.hover(file, position))?.contents as MarkupContent | undefined)?.value.split('\n');

  it('hovers a model with the operations that created, renamed and altered it, and whether each is applied', async function () {
    const rename = migration('library', '0003_rename');
    const lines = await hoverText(rename, inside(rename, "name='writer'", 7));
    assert.deepEqual(lines?.slice(0, 2), ['Model **library.writer**', '']);
    assert.deepEqual(lines?.slice(2, 4), [
      '- created in `library.0001_initial`: Create model Author (not applied)',
      '- altered in `library.0002_changes`: Change Meta options on author (not applied)',
    ]);
    assert.ok(lines?.includes('- renamed in `library.0003_rename`: Rename model Author to Writer (not applied)'), lines?.join('\n'));
    assert.ok(lines?.includes('- altered in `library.0003_rename`: Rename table for writer to (default) (not applied)'), lines?.join('\n'));
  });

  it('hovers a field with its history through RenameField, and its model through RenameModel', async function () {
    const changes = migration('library', '0002_changes');
    const lines = await hoverText(changes, inside(changes, "new_name='slug'", 11));
    assert.deepEqual(lines, [
      'Field **library.author.slug**',
      '',
      '- created in `library.0001_initial`: Create model Author (not applied)',
      '- renamed in `library.0002_changes`: Rename field code on author to slug (not applied)',
      '- renamed in `library.0003_rename`: Rename model Author to Writer (not applied)',
    ]);
  });

  it('goes from a model known by a later name to the CreateModel of its first name', async function () {
    const rename = migration('library', '0003_rename');
    const initial = migration('library', '0001_initial');
    const [location] = ((await client.definition(rename, inside(rename, "name='writer'", 7))) ?? []) as { uri: string; range: unknown }[];
    assert.equal(location.uri, fileUri(initial));
    assert.deepEqual((location.range as { start: unknown }).start, rangeInFile(initial, 'migrations.CreateModel(').start);
  });

  it('finds every operation that touches a model, state operations included', async function () {
    const changes = migration('library', '0002_changes');
    const rename = migration('library', '0003_rename');
    const locations = (await client.references(changes, inside(changes, "model_name='book'", 13))) ?? [];
    const starts = locations.map((l) => `${path.basename(new URL(l.uri).pathname)}:${l.range.start.line + 1}`);
    assert.ok(
      starts.includes(`0001_initial.py:${rangeInFile(migration('library', '0001_initial'), "name='Book'").start.line}`),
      starts.join(' '),
    );
    assert.ok(starts.includes(`0003_rename.py:${rangeInFile(rename, 'migrations.AddField(').start.line + 1}`), starts.join(' '));
    assert.ok(starts.includes(`0003_rename.py:${rangeInFile(rename, 'migrations.RemoveField(').start.line + 1}`), starts.join(' '));
    // CreateModel, nine operations in 0002_changes, five in 0003_rename (two of them state operations).
    assert.equal(locations.length, 1 + 9 + 5, starts.join(' '));
  });
});
