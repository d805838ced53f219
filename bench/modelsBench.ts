import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { modelsProblems } from '../server/src/features/modelsProblems';
import { customFieldSignatureProblems, projectClassCalls } from '../server/src/project/customFieldSignatures';
import { nodeFileSystem } from '../server/src/project/fileSystem';
import { MissingMigrationsDetector } from '../server/src/project/missingMigrations';
import { loadProjects } from '../server/src/project/projectLoader';
import { ProjectModels } from '../server/src/project/projectModels';
import { loadPythonParser } from '../server/src/python/pythonParser';
import { BENCH_SHAPE } from './syntheticProject';

export interface ModelsBenchResult {
  /** Reading every models module and the first comparison. */
  readonly firstMs: number;
  /** One keystroke in a models.py to its diagnostics: median and slowest of the keystrokes typed. */
  readonly keystrokeMedianMs: number;
  readonly keystrokeMaxMs: number;
  /** The processor time of the same work, median: what a busy machine disturbs least. */
  readonly keystrokeCpuMedianMs: number;
  readonly keystrokes: number;
  /** `manage.py makemigrations --check --dry-run` on the same project, whole process. */
  readonly djangoMs: number;
  /** Both found no change before the edit, and the same migration after it. */
  readonly sameAnswer: boolean;
  readonly ours: string;
  readonly django: string;
}

const TYPED = "    isbn = models.CharField(max_length=13, default='')\n";

/**
 * Writes the models.py each synthetic app's migrations were made from, then times what the
 * editor does on each keystroke in one of them, side by side with Django's own check.
 */
/** Writes the models.py of every synthetic app; returns the one the benchmark types in. */
export function writeSyntheticModels(root: string): string {
  const apps = Array.from({ length: BENCH_SHAPE.apps }, (_, i) => `app${String(i).padStart(2, '0')}`);
  for (const [index, app] of apps.entries()) {
    const squashed = index % BENCH_SHAPE.squashEvery === 0 && BENCH_SHAPE.migrationsPerApp >= 10;
    writeFileSync(path.join(root, app, 'models.py'), modelsSource(index > 0 ? apps[index - 1] : undefined, squashed));
  }
  return path.join(root, apps[apps.length - 1], 'models.py');
}

export async function benchModels(root: string): Promise<ModelsBenchResult> {
  const edited = writeSyntheticModels(root);
  const original = readFileSync(edited, 'utf8');

  const [project] = await loadProjects(root, { trusted: false });
  const parser = await loadPythonParser();
  let started = performance.now();
  const models = new ProjectModels(project.project, parser, nodeFileSystem);
  await models.load(project.settings?.files ?? []);
  const detector = new MissingMigrationsDetector(project, models);
  const before = describe(detector.detect());
  const firstMs = performance.now() - started;

  // The server lists the migrations' calls of project classes once per graph, as here.
  const calls = projectClassCalls(project.loaderResult().diskMigrations.values());
  const times: number[] = [];
  const cpuTimes: number[] = [];
  for (let typed = 1; typed <= TYPED.length; typed++) {
    const text = original + TYPED.slice(0, typed);
    started = performance.now();
    const cpu = process.cpuUsage();
    models.update(edited, text);
    modelsProblems(project, detector.detect(), false);
    customFieldSignatureProblems(calls, models.scope());
    times.push(performance.now() - started);
    const used = process.cpuUsage(cpu);
    cpuTimes.push((used.user + used.system) / 1000);
  }
  const after = describe(detector.detect());
  times.sort((a, b) => a - b);
  cpuTimes.sort((a, b) => a - b);

  const django = (): { text: string; ms: number } => {
    const start = performance.now();
    let output = '';
    try {
      output = execFileSync('/usr/bin/python3', ['manage.py', 'makemigrations', '--check', '--dry-run', '--noinput'], {
        cwd: root,
        env: { ...process.env, PYTHONDONTWRITEBYTECODE: '1' },
        encoding: 'utf8',
      });
    } catch (error) {
      output = String((error as { stdout?: string }).stdout ?? '');
    }
    return { text: parseDjango(output), ms: performance.now() - start };
  };
  const djangoBefore = django();
  writeFileSync(edited, original + TYPED);
  const djangoAfter = django();
  writeFileSync(edited, original);
  return {
    firstMs,
    keystrokeMedianMs: times[Math.floor(times.length / 2)],
    keystrokeMaxMs: times[times.length - 1],
    keystrokeCpuMedianMs: cpuTimes[Math.floor(cpuTimes.length / 2)],
    keystrokes: times.length,
    djangoMs: djangoAfter.ms,
    sameAnswer: before === djangoBefore.text && after === djangoAfter.text,
    ours: after,
    django: djangoAfter.text,
  };
}

function describe(missing: ReturnType<MissingMigrationsDetector['detect']>): string {
  return (
    missing.migrations.map((m) => `${m.app} ${m.name}: ${m.operations.map((o) => o.description).join('; ')}`).join(' | ') ||
    'No changes detected'
  );
}

function parseDjango(stdout: string): string {
  const found: string[] = [];
  let app = '';
  let name = '';
  let operations: string[] = [];
  const flush = () => {
    if (app) found.push(`${app} ${name}: ${operations.join('; ')}`);
  };
  for (const line of stdout.split('\n')) {
    const header = /^Migrations for '([^']+)':$/.exec(line);
    if (header) {
      flush();
      app = header[1];
      operations = [];
      continue;
    }
    const file = /[/\\](\w+)\.py$/.exec(line);
    if (file && app) name = file[1];
    const operation = /^ {4}- (.*)$/.exec(line);
    if (operation) operations.push(operation[1]);
  }
  flush();
  return found.join(' | ') || 'No changes detected';
}

/**
 * The models the synthetic migrations of one app describe (see syntheticProject.ts); a squashed
 * app's squash only creates the model with its title, so its first ten migrations add nothing.
 */
function modelsSource(previousApp: string | undefined, squashed: boolean): string {
  const lines = ['from django.db import models', '', '', 'class Item(models.Model):', '    title = models.CharField(max_length=200)'];
  for (let n = squashed ? 11 : 2; n <= BENCH_SHAPE.migrationsPerApp; n++) {
    if (previousApp && n % BENCH_SHAPE.crossAppEvery === 0) {
      lines.push(`    link_${n} = models.ForeignKey('${previousApp}.Item', null=True, on_delete=models.SET_NULL, related_name='+')`);
    } else if (n % 10 !== 5) {
      lines.push(`    field_${n} = models.IntegerField(default=0)`);
    }
  }
  return `${lines.join('\n')}\n`;
}
