import * as assert from 'node:assert/strict';
import { rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { writeSyntheticProject } from '../../bench/syntheticProject';
import { LspClient } from './lspClient';
import { temporaryFolder } from '../support/projectFolder';

/** A second leaf of app00 (a conflict, which only the graph tells) whose RunPython has no reverse. */
const CONFLICTING_DATA_MIGRATION = `from django.db import migrations


def forwards(apps, schema_editor):
    pass


class Migration(migrations.Migration):

    dependencies = [
        ('app00', '0099_auto_99'),
    ]

    operations = [
        migrations.RunPython(forwards),
    ]
`;

/**
 * Opening a large project with a migration open in the editor: that file's own problems are
 * answered while the rest of the project is still being read, and the refresh that ends the
 * first index brings the problems only the whole graph shows.
 */
describe('the open editors first, on a project of 2,000 migrations', function () {
  this.timeout(300_000);
  const root = temporaryFolder('open-editors-first');
  const file = path.join(root, 'app00', 'migrations', '0101_backfill.py');
  let client: LspClient | undefined;

  before(() => {
    writeSyntheticProject(root, { apps: 20, migrationsPerApp: 100, crossAppEvery: 7, squashEvery: 5 });
    writeFileSync(file, CONFLICTING_DATA_MIGRATION);
  });

  after(async () => {
    await client?.shutdown();
    rmSync(root, { recursive: true, force: true });
  });

  it("answers the open migration's own problems before the index is done, then the graph's", async () => {
    const launched = await LspClient.launch({ folders: [root], initializationOptions: { djangoVersion: '3.2' }, answerTimeoutMs: 60_000 });
    client = launched.client;
    let indexed = false;
    const index = launched.indexed.then(() => (indexed = true));
    // As an editor restoring its tabs: the file is open and pulled as soon as the server is up.
    await client.open(file, CONFLICTING_DATA_MIGRATION);
    const first = await client.diagnostics(file);
    assert.equal(indexed, false, 'the first answer came only after the whole project was indexed');
    assert.deepEqual(
      first.map((diagnostic) => diagnostic.code),
      ['irreversible-operation'],
    );
    await index;
    const complete = await client.diagnostics(file);
    const codes = new Set(complete.map((diagnostic) => diagnostic.code));
    assert.ok(codes.has('irreversible-operation'), JSON.stringify([...codes]));
    assert.ok(codes.has('conflicting-leaves'), JSON.stringify([...codes]));
  });
});
