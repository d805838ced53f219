import * as assert from 'node:assert/strict';
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import type { GraphJson } from '../../server/src/cli/graphJson';
import type { StatusJson } from '../../server/src/cli/statusCommand';
import { createMigrationsDatabase } from '../db/sqliteFiles';
import { DjangoProject, djangoPython, parseJson, repositoryRoot, runProcess } from './djangoProject';

const cli = path.join(repositoryRoot, 'dist', 'cli.js');

async function cliJson(command: string, dir: string): Promise<Record<string, unknown>> {
  const result = await runProcess(process.execPath, [cli, command, dir, '--python', djangoPython, '--json'], repositoryRoot);
  return parseJson(result, `cli ${command} --json`);
}

/** Every command resolves DATABASES as the editor does: one workspace, one resolver. */
describe('cli commands: one resolution of DATABASES', function () {
  this.timeout(120_000);
  let project: DjangoProject;
  after(async () => {
    await project?.remove();
  });

  it("graph and status read the database the settings name through .env, through the project's Django", async () => {
    project = await DjangoProject.fromFixture('linear');
    const settings = path.join(project.dir, 'config', 'settings.py');
    const text = await fs.readFile(settings, 'utf8');
    await fs.writeFile(settings, `import os\n${text.replace("BASE_DIR / 'db.sqlite3'", "os.environ['SHOP_DATABASE']")}`);
    const database = createMigrationsDatabase(path.join(project.dir, 'elsewhere.sqlite3'), [
      ['shop', '0001_initial', '2024-05-01 10:00:00.000000'],
    ]);
    await fs.writeFile(path.join(project.dir, '.env'), `SHOP_DATABASE=${database}\n`);

    const graph = (await cliJson('graph', project.dir)) as unknown as GraphJson;
    assert.deepEqual(graph.applied, ['shop.0001_initial']);
    const status = (await cliJson('status', project.dir)) as unknown as StatusJson;
    assert.equal(status.database.status, 'ok');
    assert.deepEqual(
      status.apps.shop.map((migration) => [migration.name, migration.applied]),
      [
        ['0001_initial', true],
        ['0002_product_price', false],
        ['0003_order', false],
      ],
    );
  });
});
