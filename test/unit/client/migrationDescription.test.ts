import * as assert from 'node:assert/strict';
import { MigrationNodeState } from '../../../protocol/index';
import { describeMigration } from '../../../client/src/tree/migrationDescription';

const node = (fields: Partial<MigrationNodeState>): MigrationNodeState => ({
  app: 'shop',
  name: '0001_initial',
  state: 'applied',
  applied: true,
  recorded: true,
  listed: true,
  dependents: 0,
  appliedAt: '2024-05-01 10:00:00',
  ...fields,
});

/** Beside a label in the side bar at its default width: the name must never be the part that is cut. */
const LONGEST = 34;

describe("a migration's description in the tree", () => {
  const cases: [string, MigrationNodeState, string][] = [
    ['applied', node({}), 'applied'],
    ['unapplied', node({ state: 'unapplied', applied: false, recorded: false, appliedAt: undefined }), 'not applied'],
    ['conflicting', node({ state: 'conflicting', applied: false, conflicting: true }), 'conflicting leaf · not applied'],
    [
      'replaced',
      node({ state: 'replaced', replacedBy: '0001_squashed_0042_a_rather_long_migration_name', file: undefined }),
      'replaced · applied · file deleted',
    ],
    ['squash used', node({ state: 'squashed', squash: { replaces: 12, appliedReplaced: 12, inGraph: true } }), 'squash of 12 · applied'],
    [
      'squash not used',
      node({ state: 'squashed', applied: false, recorded: false, squash: { replaces: 12, appliedReplaced: 5, inGraph: false } }),
      'squash of 12 · not used',
    ],
    [
      'squash to finish recording',
      node({ state: 'squashed', recorded: false, finishRecording: true, squash: { replaces: 3, appliedReplaced: 3, inGraph: true } }),
      'squash of 3 · [-] not recorded',
    ],
    ['missing file', node({ state: 'missingFile' }), 'applied · file missing'],
    [
      'inconsistent',
      node({ state: 'inconsistent', unappliedDependencies: ['accounts.0007_a_long_name_of_a_dependency', 'billing.0001_initial'] }),
      'applied before a dependency',
    ],
  ];
  for (const [what, entry, expected] of cases) {
    it(`${what}: "${expected}", at most ${LONGEST} characters`, () => {
      const description = describeMigration(entry);
      assert.equal(description, expected);
      assert.ok(description.length <= LONGEST, description);
    });
  }
});
