import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import type { GraphJson } from '../../server/src/cli/graphJson';
import { DjangoProject, djangoPython, inParallel, parseJson, repositoryRoot, runProcess } from './djangoProject';
import { DatabaseState, fidelityScenarios, FidelityScenario } from './fidelityScenarios';

/**
 * `cli graph --json` against Django's own MigrationLoader (test/fidelity/django_graph.py), key by
 * key, for every fixture scenario and database state. The contract is docs/graph-json.md.
 */
const cliScript = path.join(repositoryRoot, 'dist', 'cli.js');

const graphKeys = ['nodes', 'graph', 'graph_replaced', 'applied', 'conflicts', 'plan_from_zero', 'errors'] as const;

interface Outcome {
  django?: GraphJson;
  cli?: GraphJson;
  /** Why Django's side could not be dumped: a broken fixture or state, not a CLI bug. */
  djangoFailure?: unknown;
  cliFailure?: unknown;
}

async function outcomeOf(scenario: FidelityScenario, state: DatabaseState): Promise<Outcome> {
  const outcome: Outcome = {};
  let project: DjangoProject | undefined;
  try {
    project = await DjangoProject.fromFixture(scenario.fixture);
    await state.prepare?.(project);
    outcome.django = (await project.djangoGraph()) as unknown as GraphJson;
    const args = [cliScript, 'graph', project.dir, '--json', '--database-url', project.databaseUrl];
    if (scenario.contribApps) args.push('--python', djangoPython);
    try {
      outcome.cli = parseJson(await runProcess(process.execPath, args, repositoryRoot), 'cli graph --json') as unknown as GraphJson;
    } catch (error) {
      outcome.cliFailure = error;
    }
  } catch (error) {
    outcome.djangoFailure = error;
  } finally {
    await project?.remove();
  }
  return outcome;
}

/** A cycle's message starts at a node chosen by Python's hash order: start at the smallest. */
function comparable(key: (typeof graphKeys)[number], value: unknown): unknown {
  if (key !== 'errors' || !Array.isArray(value)) return value;
  return value.map((error: GraphJson['errors'][number]) => {
    if (error?.type !== 'CircularDependencyError') return error;
    const cycle = error.message.split(', ');
    const start = cycle.indexOf([...cycle].sort()[0]);
    return { ...error, message: [...cycle.slice(start), ...cycle.slice(0, start)].join(', ') };
  });
}

describe('graph --json against Django', function () {
  const outcomes = new Map<DatabaseState, Outcome>();

  before(async function () {
    this.timeout(300_000);
    const runs = fidelityScenarios.flatMap((scenario) => scenario.states.map((state) => ({ scenario, state })));
    await inParallel(runs, async ({ scenario, state }) => {
      outcomes.set(state, await outcomeOf(scenario, state));
    });
  });

  function django(state: DatabaseState): GraphJson {
    const outcome = outcomes.get(state);
    if (!outcome?.django) throw new Error(`Django's side failed: ${String(outcome?.djangoFailure)}`);
    return outcome.django;
  }

  for (const scenario of fidelityScenarios) {
    describe(`${scenario.fixture}: ${scenario.shows}`, () => {
      for (const state of scenario.states) {
        describe(state.name, () => {
          it("Django's loader shows the scenario", () => state.expect(django(state)));

          for (const key of graphKeys) {
            it(key, () => {
              const expected = django(state);
              const outcome = outcomes.get(state);
              if (!outcome?.cli) assert.fail(`cli graph --json gave no result: ${String(outcome?.cliFailure)}`);
              assert.ok(key in outcome.cli, `the CLI's JSON has no "${key}"`);
              assert.deepStrictEqual(comparable(key, outcome.cli[key]), comparable(key, expected[key]), `"${key}" differs from Django's`);
            });
          }
        });
      }
    });
  }
});
