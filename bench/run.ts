import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { benchActivation } from './activationBench';
import { benchCli, printCliBench } from './cliBench';
import { benchDatabases } from './databaseBench';
import { benchEngine } from './engineBench';
import { benchLens } from './lensBench';
import { benchModels } from './modelsBench';
import { benchServerStart, printServerStart } from './serverStartBench';
import { benchSoak, printSoak } from './soakBench';
import { benchState, printStateBench } from './stateBench';
import { LARGE_SHAPE, writeSyntheticProject } from './syntheticProject';

/** `npm run bench`: prints the figures the issues ask for; asserts nothing. */
async function main(): Promise<void> {
  const root = mkdtempSync(path.join(tmpdir(), 'django-migrations-bench-'));
  try {
    const { migrations, editFile } = writeSyntheticProject(root);
    console.log(`Synthetic project: ${migrations} migrations in 50 apps (${root})`);
    const engine = await benchEngine(root, migrations, editFile);
    const row = (label: string, value: string, target: string) =>
      console.log(`  ${label.padEnd(38)} ${value.padStart(12)}   target ${target}`);
    console.log('\nEngine (issue: parse, graph, diagnostics), each cold index in a fresh process, median of 5 (Django too)');
    row('cold index (read, parse, graph, checks)', `${engine.cold.milliseconds.toFixed(0)} ms`, '<= 1000 ms');
    row('cold index with the parse cache', `${engine.coldCached.milliseconds.toFixed(0)} ms`, '');
    row('refresh after a one-line edit', `${engine.editRefreshMs.toFixed(1)} ms`, '<= 20 ms');
    row('peak memory (RSS), cold index', `${engine.cold.peakRssMb.toFixed(0)} MB`, '<= 200 MB');
    row('peak memory (RSS), with the cache', `${engine.coldCached.peakRssMb.toFixed(0)} MB`, '<= 200 MB');
    row("Django's MigrationLoader, no bytecode", `${engine.djangoLoaderMs.toFixed(0)} ms`, '');
    row('  the same, whole python3 process', `${engine.djangoProcessMs.toFixed(0)} ms`, '');
    row("Django's MigrationLoader, bytecode warm", `${engine.djangoLoaderCachedMs.toFixed(0)} ms`, '');
    row('ratio Django (no bytecode) / cold index', `${(engine.djangoLoaderMs / engine.cold.milliseconds).toFixed(1)}x`, '>= 10x');
    row(
      'ratio Django (bytecode) / cached index',
      `${(engine.djangoLoaderCachedMs / engine.coldCached.milliseconds).toFixed(1)}x`,
      '>= 10x',
    );

    printCliBench(benchCli(root), migrations);
    printServerStart(await benchServerStart(root), migrations);
    printSoak(benchSoak(root, editFile), migrations);
    const large = mkdtempSync(path.join(tmpdir(), 'django-migrations-bench-large-'));
    try {
      const largeProject = writeSyntheticProject(large, LARGE_SHAPE);
      printCliBench(benchCli(large), largeProject.migrations);
      printSoak(benchSoak(large, largeProject.editFile), largeProject.migrations);
    } finally {
      rmSync(large, { recursive: true, force: true });
    }

    printStateBench(await benchState(root), migrations);

    const models = await benchModels(root);
    console.log(
      `\nModels (issue: the migration you have not made yet), same project, one models.py per app, ${models.keystrokes} keystrokes typing a field`,
    );
    row('first read of every models module', `${models.firstMs.toFixed(0)} ms`, '');
    row('keystroke to models diagnostics, median', `${models.keystrokeMedianMs.toFixed(1)} ms`, '<= 30 ms');
    row('keystroke to models diagnostics, slowest', `${models.keystrokeMaxMs.toFixed(1)} ms`, '');
    row('  the same, processor time, median', `${models.keystrokeCpuMedianMs.toFixed(1)} ms`, '<= 30 ms');
    row('makemigrations --check --dry-run process', `${models.djangoMs.toFixed(0)} ms`, '');
    row('same answer as makemigrations', models.sameAnswer ? 'yes' : 'NO', 'yes');
    console.log(`    ours:   ${models.ours}\n    Django: ${models.django}`);

    const lens = await benchLens();
    console.log('\nSQL lens (issue: run Django from the editor), commands_project on SQLite');
    row('lens click to SQL, warm, first view', `${lens.warmFirstViewMs.toFixed(1)} ms`, '<= 150 ms');
    row('lens click to SQL, warm, after an edit', `${lens.warmAfterEditMs.toFixed(1)} ms`, '<= 150 ms');
    row('lens click to SQL, same content again', `${lens.cachedMs.toFixed(1)} ms`, '');
    row('lens click to SQL, helper cold', `${lens.coldMs.toFixed(0)} ms`, '');
    row('manage.py sqlmigrate process', `${lens.managePyMs.toFixed(0)} ms`, '');
    row('ratio (manage.py / warm after an edit)', `${(lens.managePyMs / lens.warmAfterEditMs).toFixed(1)}x`, '>= 5x');

    const databases = await benchDatabases(root);
    const ratio = (showmigrations: number, refresh: number) => `${(showmigrations / refresh).toFixed(0)}x`;
    console.log(`\nMigration state (issue: live migration state), same project, ${databases.rows} rows applied by migrate --fake`);
    row('refresh to full tree, SQLite', `${databases.refreshMs.sqlite.toFixed(1)} ms`, '<= 50 ms');
    row('refresh to full tree, SQLite (sql.js)', `${databases.refreshMs.sqlJs.toFixed(1)} ms`, '');
    row('refresh to full tree, PostgreSQL', `${databases.refreshMs.postgres.toFixed(1)} ms`, '<= 50 ms');
    row('manage.py showmigrations, SQLite', `${databases.showmigrationsMs.sqlite.toFixed(0)} ms`, '');
    row('manage.py showmigrations, PostgreSQL', `${databases.showmigrationsMs.postgres.toFixed(0)} ms`, '');
    row('ratio showmigrations / refresh, SQLite', ratio(databases.showmigrationsMs.sqlite, databases.refreshMs.sqlite), '>= 20x');
    row('ratio showmigrations / refresh, Postgres', ratio(databases.showmigrationsMs.postgres, databases.refreshMs.postgres), '>= 20x');

    const activation = await benchActivation(root, 'synthetic');
    console.log(
      `\nActivation (issue: the extension in a real VS Code), the VSIX in code-server, sample/ and the ${migrations}-migration project, median of 3 windows`,
    );
    if ('skipped' in activation) console.log(`  skipped: ${activation.skipped}`);
    else {
      for (const project of activation.projects) {
        row(`${project.name}: client ready`, `${project.readyMs.toFixed(0)} ms`, '');
        row(`${project.name}: first index done`, `${project.indexedMs.toFixed(0)} ms`, '');
      }
    }
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
