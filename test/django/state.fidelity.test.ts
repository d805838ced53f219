import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { StateJson, stateJson } from '../../server/src/core/stateJson';
import { parseDjangoVersion } from '../../server/src/core/djangoVersion';
import { splitMigrationKey } from '../../server/src/core/migration';
import { djangoAtLeast, testDjangoSeries } from '../support/testDjango';
import { loadProjects } from '../../server/src/project/projectLoader';
import { djangoPython, fixturesDirectory, inParallel, parseJson, repositoryRoot, runProcess } from './djangoProject';

/**
 * The state after every migration of every fixture project whose graph Django can build,
 * against Django's own `loader.project_state((app, name))` (test/django/django_state.py):
 * model by model, field by field through deconstruct(), options, bases and managers.
 */
const fixtures = [
  'state_operations',
  'model_changes',
  'linear',
  'cross_app_foreign_keys',
  'first_latest',
  'swappable_custom_user',
  'swappable_contrib_auth',
  'run_before',
  'squashed',
  'squash_replaced_deleted',
  'conflict',
  'run_python_run_sql',
  'app_labels',
  'migration_modules',
  'odd_file_names',
  'commands_project',
  'models_changes',
  'postgres_operations',
  // AddConstraintNotValid and ValidateConstraint came with 4.0: older releases cannot import them.
  ...(djangoAtLeast(4, 0) ? ['postgres_constraints'] : []),
  // Written by 5.2's makemigrations (db_comment, db_default, RenameIndex, GeneratedField, AlterConstraint).
  ...(djangoAtLeast(5, 2) ? ['newer_django_operations'] : []),
];

const djangoStateScript = path.join(repositoryRoot, 'test', 'django', 'django_state.py');

interface Outcome {
  django: Record<string, StateJson>;
  ours: Record<string, StateJson>;
}

async function outcomeOf(fixture: string): Promise<Outcome> {
  const dir = path.join(fixturesDirectory, fixture);
  const django = parseJson(await runProcess(djangoPython, [djangoStateScript, dir], repositoryRoot), 'django_state.py') as Record<
    string,
    StateJson
  >;
  const [project] = await loadProjects(dir, { trusted: false });
  const loaded = project.loaderResult();
  const states = project.migrationStates();
  const apps = new Set([...loaded.diskMigrations.values()].map((migration) => migration.appLabel));
  const ours: Record<string, StateJson> = {};
  for (const key of loaded.graph.nodes.keys()) {
    const state = states.stateAfter(key);
    if (state) ours[key] = stateJson(state, loaded.diskMigrations, apps, parseDjangoVersion(testDjangoSeries));
  }
  // Apps read only through Python (django.contrib) are not ours to compare.
  for (const [key, state] of Object.entries(django)) {
    if (!apps.has(splitMigrationKey(key)[0])) delete django[key];
    else state.models = Object.fromEntries(Object.entries(state.models).filter(([, model]) => apps.has(model.app_label)));
  }
  return { django, ours };
}

describe('state after every migration against Django', function () {
  const outcomes = new Map<string, Outcome | Error>();

  before(async function () {
    this.timeout(300_000);
    await inParallel(fixtures, async (fixture) => {
      outcomes.set(fixture, await outcomeOf(fixture).catch((error: Error) => error));
    });
  });

  for (const fixture of fixtures) {
    it(fixture, () => {
      const outcome = outcomes.get(fixture);
      if (outcome instanceof Error || !outcome) throw outcome ?? new Error('not run');
      assert.deepEqual(Object.keys(outcome.ours).sort(), Object.keys(outcome.django).sort(), 'the same migrations');
      assert.ok(Object.keys(outcome.django).length > 0, 'Django shows migrations');
      for (const [key, django] of Object.entries(outcome.django)) {
        const computed: StateJson = outcome.ours[key];
        assert.deepEqual(Object.keys(computed.models), Object.keys(django.models), `${key}: the same models in the same order`);
        for (const [model, expected] of Object.entries(django.models)) {
          const actual = computed.models[model];
          assert.equal(actual.unknown, undefined, `${key}: ${model} is fully known`);
          assert.deepEqual(
            actual.fields.map(([name]) => name),
            expected.fields.map(([name]) => name),
            `${key}: ${model} field order`,
          );
          actual.fields.forEach(([name, field], index) => assert.deepEqual(field, expected.fields[index][1], `${key}: ${model}.${name}`));
          for (const part of ['app_label', 'name', 'options', 'bases', 'managers'] as const) {
            assert.deepEqual(actual[part], expected[part], `${key}: ${model} ${part}`);
          }
        }
      }
    });
  }
});
