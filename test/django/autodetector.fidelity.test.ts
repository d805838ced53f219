import * as assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { nodeFileSystem } from '../../server/src/project/fileSystem';
import { MissingMigrationsDetector } from '../../server/src/project/missingMigrations';
import { loadProjects } from '../../server/src/project/projectLoader';
import { ProjectModels } from '../../server/src/project/projectModels';
import { loadPythonParser } from '../../server/src/python/pythonParser';
import { djangoLibrary, testDjangoSeries } from '../support/testDjango';
import { DjangoProject, fixturesDirectory, inParallel } from './djangoProject';
import { modelChanges } from './modelChanges';

interface Written {
  readonly app: string;
  readonly name: string;
  readonly operations: readonly string[];
}

/** `makemigrations --dry-run -v 3` output: "Migrations for 'app':", the file, "    - describe" (5.1: "    + describe"). */
export function parseMakemigrations(stdout: string): Written[] {
  const written: Written[] = [];
  let current: { app: string; name: string; operations: string[] } | undefined;
  for (const line of stdout.split('\n')) {
    const header = /^Migrations for '([^']+)':$/.exec(line);
    if (header) {
      current = { app: header[1], name: '', operations: [] };
      written.push(current);
      continue;
    }
    if (!current) continue;
    const file = /^ {2}\S.*[/\\](\w+)\.py$/.exec(line);
    if (file && current.name === '') current.name = file[1];
    // 5.1 marks each line with its operation's category (+ added, - removed, ~ altered, p Python, s SQL, ? mixed).
    const operation = /^ {4}[-+~ps?] (.*)$/.exec(line);
    if (operation) current.operations.push(operation[1]);
    if (line.startsWith('Full migrations file')) current = undefined;
  }
  return written;
}

/** The name without the minute-dependent timestamp of `auto_…` names. */
const comparableName = (name: string) => name.replace(/_auto_\d{8}_\d{4}$/, '_auto');

async function ours(dir: string) {
  const [project] = await loadProjects(dir, { trusted: false });
  const parser = await loadPythonParser();
  const models = new ProjectModels(project.project, parser, nodeFileSystem, [djangoLibrary]);
  await models.load(project.settings?.files ?? []);
  // Migration names follow the release: 4.0 joins every operation's fragment where 3.2 wrote auto_….
  return new MissingMigrationsDetector(project, models).detect({ djangoVersion: testDjangoSeries });
}

describe(`autodetector against makemigrations --dry-run (Django ${testDjangoSeries})`, function () {
  this.timeout(600_000);
  const results = new Map<string, { django: Written[]; code: number | null; ours: Awaited<ReturnType<typeof ours>> }>();

  before(async () => {
    await inParallel(modelChanges, async (change) => {
      const project = await DjangoProject.fromFixture('models_changes');
      try {
        for (const [file, edit] of Object.entries(change.files)) {
          const full = path.join(project.dir, file);
          await fs.writeFile(full, edit(await fs.readFile(full, 'utf8')));
        }
        const result = await project.python(['manage.py', 'makemigrations', '--dry-run', '-v', '3', '--noinput']);
        results.set(change.name, { django: parseMakemigrations(result.stdout), code: result.code, ours: await ours(project.dir) });
      } finally {
        await project.remove();
      }
    });
  });

  for (const change of modelChanges) {
    it(change.name, () => {
      const result = results.get(change.name);
      assert.ok(result, 'the scenario ran');
      if (change.needsDefault) {
        // makemigrations --noinput cannot ask for the default and exits with status 3.
        assert.equal(result.code, 3);
        assert.ok(
          result.ours.migrations.some((m) => m.operations.some((o) => o.needsDefault)),
          'the new field is flagged as needing a default',
        );
        return;
      }
      assert.equal(result.code, 0);
      const mine = result.ours.migrations.map((m) => ({
        app: m.app,
        name: comparableName(m.name),
        operations: m.operations.map((o) => o.description),
      }));
      const django = result.django.map((m) => ({ ...m, name: comparableName(m.name) }));
      assert.deepEqual(mine, django);
    });
  }
});

describe(`autodetector: no false missing migration on any fixture project (Django ${testDjangoSeries})`, function () {
  this.timeout(600_000);
  const scenarios = readdirSync(fixturesDirectory).filter((name) => existsSync(path.join(fixturesDirectory, name, 'manage.py')));

  for (const scenario of scenarios) {
    it(scenario, async () => {
      const project = await DjangoProject.fromFixture(scenario);
      try {
        const result = await project.python(['manage.py', 'makemigrations', '--dry-run', '-v', '3', '--noinput']);
        const mine = (await ours(project.dir)).migrations.map((m) => ({
          app: m.app,
          name: comparableName(m.name),
          operations: m.operations.map((o) => o.description),
        }));
        // Django fails on a broken graph (exit 1 with a traceback): then nothing is reported.
        const django = result.stdout.includes('Migrations for')
          ? parseMakemigrations(result.stdout).map((m) => ({ ...m, name: comparableName(m.name) }))
          : [];
        // Never a false missing migration: whatever we report, Django reports too, under the same name.
        for (const migration of mine) {
          const same = django.find((m) => m.app === migration.app);
          assert.ok(same, `Django has no migration for ${migration.app}: ${migration.operations.join('; ')}`);
          for (const operation of migration.operations)
            assert.ok(same.operations.includes(operation), `Django does not report: ${operation}`);
          if (migration.operations.length === same.operations.length) assert.equal(migration.name, same.name);
        }
      } finally {
        await project.remove();
      }
    });
  }
});
